"""App configuration for the heritage portal: monuments, cultural objects and their media, EDM over OAI-PMH."""
from django.apps import AppConfig


class HeritageConfig(AppConfig):
    name = "heritage"
    verbose_name = "Cultural heritage"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.utils.translation import gettext_lazy as _

        from core.page_access import SignedInPage, planner_or_administrator, register_signed_in_page

        # the planners' navigation (beside the planner map) leads to the monuments at risk
        register_signed_in_page(SignedInPage("heritage-at-risk-page", _("Monuments at risk"), 25, planner_or_administrator))
