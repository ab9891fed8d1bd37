"""App configuration for citizen issue reporting."""
from django.apps import AppConfig


class IssuesConfig(AppConfig):
    name = "issues"
    verbose_name = "Improve My City"

    def ready(self):
        from layers.collections import PointCollection, register
        from layers.ogc.registry import FeatureCollection
        from layers.ogc.registry import register as register_ogc

        from .models import Issue

        register(PointCollection(
            id="open-issues", title_el="Ανοιχτά αιτήματα πολιτών", title_en="Open citizen issues",
            queryset=lambda: Issue.objects.filter(status__in=Issue.OPEN_STATUSES).select_related("category"),
            geometry_field="location",
            # public fields only: never the reporter's details
            properties=lambda issue: {"service_code": issue.category.service_code, "status": issue.status,
                                      "priority": issue.priority, "description": issue.description[:200]},
        ))
        register_ogc(FeatureCollection(
            id="public-issues", title="Public issue reports", table="ogc_public_issues", id_column="id",
            description="Citizens' reports with privacy-safe fields only: never the reporter's name, e-mail or phone.",
            geometry_type="Point", datetime_column="created_at",
            properties={"service_code": "string", "category_en": "string", "category_el": "string", "status": "string",
                        "open311_status": "string", "priority": "integer", "district": "string", "department": "string",
                        "created_at": "datetime", "updated_at": "datetime"},
            keywords=["Improve My City", "Open311"],
        ))
        self._register_signed_in_pages()

    @staticmethod
    def _register_signed_in_pages():
        from django.utils.translation import gettext_lazy as _

        from layers.page_access import SignedInPage, register_signed_in_page

        from . import permissions
        from .pages.staff import has_workspace_role

        register_signed_in_page(SignedInPage("staff-home", _("Workspace"), 10, has_workspace_role))
        register_signed_in_page(SignedInPage("figures", _("Figures"), 30, permissions.can_read_figures))
