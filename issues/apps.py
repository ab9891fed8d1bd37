"""App configuration for citizen issue reporting."""
from django.apps import AppConfig


class IssuesConfig(AppConfig):
    name = "issues"
    verbose_name = "Improve My City"
