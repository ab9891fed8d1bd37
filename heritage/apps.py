"""App configuration for the heritage portal: monuments, cultural objects and their media, EDM over OAI-PMH."""
from django.apps import AppConfig


class HeritageConfig(AppConfig):
    name = "heritage"
    verbose_name = "Cultural heritage"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from core.errors import register_error_shape

        from .iiif.views import iiif_error

        register_error_shape("/iiif/", iiif_error)
