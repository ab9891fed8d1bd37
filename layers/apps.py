"""App configuration for the reference layers."""
from django.apps import AppConfig


class LayersConfig(AppConfig):
    name = "layers"
    verbose_name = "Reference layers"
