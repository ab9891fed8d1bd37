"""App configuration for citizen issue reporting."""
from django.apps import AppConfig


class IssuesConfig(AppConfig):
    name = "issues"
    verbose_name = "Improve My City"

    def ready(self):
        from layers.collections import PointCollection, register

        from .models import Issue

        register(PointCollection(
            id="open-issues", title_el="Ανοιχτά αιτήματα πολιτών", title_en="Open citizen issues",
            queryset=lambda: Issue.objects.filter(status__in=Issue.OPEN_STATUSES).select_related("category"),
            geometry_field="location",
            # public fields only: never the reporter's details
            properties=lambda issue: {"service_code": issue.category.service_code, "status": issue.status,
                                      "priority": issue.priority, "description": issue.description[:200]},
        ))
