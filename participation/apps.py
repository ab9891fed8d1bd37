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
