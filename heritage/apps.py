"""App configuration for the heritage portal: monuments, cultural objects and their media, EDM over OAI-PMH, tours
and walking routes."""
from django.apps import AppConfig


class HeritageConfig(AppConfig):
    name = "heritage"
    verbose_name = "Cultural heritage"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.utils.translation import gettext_lazy as _

        from core.navigation import NavLink, register_nav_link

        from .layers import register_layers

        register_layers()
        register_nav_link(NavLink("heritage-page-home", _("Cultural heritage"), 40))
