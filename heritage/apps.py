"""App configuration for the heritage portal: monuments, cultural objects and their media, EDM over OAI-PMH."""
from django.apps import AppConfig


class HeritageConfig(AppConfig):
    name = "heritage"
    verbose_name = "Cultural heritage"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.utils.translation import gettext_lazy as _

        from core.page_access import SignedInPage, planner_or_administrator, register_signed_in_page

        # the planners' navigation (beside the planner map) leads to the monuments at risk
        register_signed_in_page(SignedInPage("heritage-at-risk-page", _("Monuments at risk"), 25, planner_or_administrator))

        from core.report_sections import ReportSection, register_report_section

        from .pages.at_risk import district_report_section

        # a district's printable hazard report shows the monuments at risk there (hazards knows nothing of heritage)
        register_report_section(ReportSection("district", "heritage-monuments-at-risk",
                                              "heritage/pages/district_report_section.html", district_report_section))
