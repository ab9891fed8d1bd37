"""App configuration for request limits and the sign-in lock-out."""
from django.apps import AppConfig


class ThrottlingConfig(AppConfig):
    name = "gis_portal.throttling"
    label = "throttling"
    verbose_name = "Request limits and sign-in lock-out"
    default_auto_field = "django.db.models.BigAutoField"
