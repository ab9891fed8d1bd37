"""App configuration for the hazard layers."""
from django.apps import AppConfig


class HazardsConfig(AppConfig):
    name = "hazards"
    verbose_name = "Hazards and resilience"

    def ready(self):
        from layers.ogc.registry import FeatureCollection, register

        register(FeatureCollection(
            id="hazard-zones", title="Hazard zones", table="ogc_hazard_zones", id_column="id", geometry_type="MultiPolygon",
            description="Zones of the vector hazard layers with their level and value; see /api/hazards/layers for provenance.",
            properties={"layer": "string", "kind": "string", "level": "string", "value": "number", "units": "string",
                        "return_period_years": "integer"},
            keywords=["natural risk zones", "civil protection"],
        ))

        from django.utils.translation import gettext_lazy as _

        from layers.page_access import SignedInPage, planner_or_administrator, register_signed_in_page

        register_signed_in_page(SignedInPage("planner-map", _("Planner map"), 20, planner_or_administrator))
