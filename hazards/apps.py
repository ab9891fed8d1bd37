"""App configuration for the hazard layers."""
from django.apps import AppConfig


class HazardsConfig(AppConfig):
    name = "hazards"
    verbose_name = "Hazards and resilience"
