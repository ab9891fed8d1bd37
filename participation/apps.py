"""App configuration for citizen participation: processes, proposals, supports, comments, budgets and ballots."""
from django.apps import AppConfig


class ParticipationConfig(AppConfig):
    name = "participation"
    verbose_name = "Citizen participation"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from .layers import register_layers

        register_layers()

        from .pages.figures_section import register_figures_section

        register_figures_section()

        from django.utils.translation import gettext_lazy as _

        from core.page_access import SignedInPage, register_signed_in_page

        from .pages.moderation import is_moderator
        from .selectors import is_evaluator

        register_signed_in_page(SignedInPage("participation-page-staff-queue", _("Evaluation queue"), 25, is_evaluator))
        register_signed_in_page(SignedInPage("participation-page-moderation", _("Moderation"), 40, is_moderator))
