"""App configuration for the heritage portal: monuments, cultural objects and their media, EDM over OAI-PMH, tours
and walking routes."""
from django.apps import AppConfig


class HeritageConfig(AppConfig):
    name = "heritage"
    verbose_name = "Cultural heritage"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.utils.translation import gettext_lazy as _

        from core.errors import register_error_shape
        from core.navigation import NavLink, register_nav_link
        from core.page_access import SignedInPage, planner_or_administrator, register_signed_in_page
        from layers.registry import Distribution, ItemLink, register_distribution, register_item_link

        from .iiif.presentation import MEDIA_TYPE
        from .iiif.views import iiif_error
        from .layers import register_layers

        register_error_shape("/iiif/", iiif_error)
        # each heritage site of the OGC API links to its IIIF collection; the catalogue lists the sites' collections
        register_item_link("heritage-sites", ItemLink(
            url_name="iiif-collection-site", kwarg="slug", rel="related", media_type=MEDIA_TYPE,
            title="The site's digitised records as a IIIF Presentation 3.0 collection"))
        register_distribution("heritage-sites", Distribution(
            url_name="iiif-collection-sites", title_en="Heritage sites (IIIF Presentation 3.0 collections)",
            title_el="Μνημεία πολιτιστικής κληρονομιάς (συλλογές IIIF Presentation 3.0)", media_type=MEDIA_TYPE,
            conforms_to="http://iiif.io/api/presentation/3.0/"))
        register_layers()
        register_nav_link(NavLink("heritage-page-home", _("Cultural heritage"), 40))

        # the planners' navigation (beside the planner map) leads to the monuments at risk
        register_signed_in_page(SignedInPage("heritage-at-risk-page", _("Monuments at risk"), 25, planner_or_administrator))

        from core.report_sections import ReportSection, register_report_section

        from .pages.at_risk import district_report_section

        # a district's printable hazard report shows the monuments at risk there (hazards knows nothing of heritage)
        register_report_section(ReportSection("district", "heritage-monuments-at-risk",
                                              "heritage/pages/district_report_section.html", district_report_section))
