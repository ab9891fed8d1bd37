"""The ground floor every app builds on: SQL files, request parameters, API errors, limits, sign-in
protection, security headers, page roles and the base templates."""
from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Core"
    default_auto_field = "django.db.models.BigAutoField"
