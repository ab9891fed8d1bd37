"""App configuration for citizen issue reporting."""
from django.apps import AppConfig

PUBLIC_ISSUE_PROPERTIES = {
    "service_code": "string", "category_en": "string", "category_el": "string", "status": "string", "open311_status": "string",
    "priority": "integer", "district": "string", "department": "string", "created_at": "datetime", "updated_at": "datetime",
}
# the tables the public views read: a change in any of them changes the layers
PUBLIC_ISSUE_SOURCES = ("issues_issue", "issues_category", "issues_department", "layers_district")


class IssuesConfig(AppConfig):
    name = "issues"
    verbose_name = "Improve My City"

    def ready(self):
        from core.errors import register_error_shape
        from layers.registry import Collection, register

        from .open311.errors import open311_error_shape

        register_error_shape("/open311/", open311_error_shape)
        self._register_navigation()

        # public fields only: never the reporter's name, e-mail, phone, device or account, nor the free text
        common = dict(
            id_column="id", geometry_type="Point", datetime_column="created_at",
            properties=PUBLIC_ISSUE_PROPERTIES, sources=PUBLIC_ISSUE_SOURCES, themes=("GOVE",), max_age=60,
            keywords_en=("Improve My City", "Open311", "citizen reports"), keywords_el=("Βελτιώνω την πόλη μου", "Open311", "αιτήματα πολιτών"),
            provenance="Reports sent by citizens through the portal and Open311 apps; positions as the reporter placed them.",
        )
        register(Collection(
            id="public-issues", title_en="Public issue reports", title_el="Δημόσια αιτήματα πολιτών",
            description_en="Citizens' reports, open and closed, with privacy-safe fields only: never the reporter's name, e-mail or phone.",
            description_el="Τα αιτήματα των πολιτών, ανοιχτά και κλειστά, μόνο με πεδία χωρίς προσωπικά δεδομένα.",
            table="ogc_public_issues", exposure_default=False, **common,
        ))
        register(Collection(
            id="open-issues", title_en="Open citizen issues", title_el="Ανοιχτά αιτήματα πολιτών",
            description_en="The citizens' reports still open (new, acknowledged, in progress or reopened), privacy-safe fields only.",
            description_el="Τα αιτήματα των πολιτών που είναι ακόμη ανοιχτά, μόνο με πεδία χωρίς προσωπικά δεδομένα.",
            table="ogc_open_issues", **common,
        ))
        self._register_signed_in_pages()

    @staticmethod
    def _register_navigation():
        from django.utils.translation import gettext_lazy as _

        from core.navigation import FOOTER, NavLink, register_nav_link

        register_nav_link(NavLink("home", _("Map of reports"), 10, home=True))
        register_nav_link(NavLink("open311-discovery", "Open311", 20, place=FOOTER, kwargs={"format": "json"}))

    @staticmethod
    def _register_signed_in_pages():
        from django.utils.translation import gettext_lazy as _

        from core.page_access import SignedInPage, register_signed_in_page

        from . import permissions
        from .pages.staff import has_workspace_role

        register_signed_in_page(SignedInPage("staff-home", _("Workspace"), 10, has_workspace_role))
        register_signed_in_page(SignedInPage("figures", _("Figures"), 30, permissions.can_read_figures))
