"""App configuration for the hazard layers."""
from django.apps import AppConfig


class HazardsConfig(AppConfig):
    name = "hazards"
    verbose_name = "Hazards and resilience"

    def ready(self):
        from layers.registry import Collection, register

        register(Collection(
            id="hazard-zones", title_en="Hazard zones", title_el="Ζώνες κινδύνου",
            description_en="Zones of the vector hazard layers with their level and value; see /api/hazards/layers for provenance.",
            description_el="Οι ζώνες των διανυσματικών επιπέδων κινδύνου με το επίπεδο και την τιμή τους· η προέλευση στο /api/hazards/layers.",
            table="ogc_hazard_zones", id_column="id", geometry_type="MultiPolygon",
            properties={"layer": "string", "kind": "string", "level": "string", "value": "number", "units": "string",
                        "return_period_years": "integer"},
            sources=("hazards_hazardzone", "hazards_hazardlayer"),
            keywords_en=("natural risk zones", "civil protection"), keywords_el=("ζώνες φυσικών κινδύνων", "πολιτική προστασία"),
            themes=("ENVI",),
            provenance="Each hazard layer states its own provenance and licence (/api/hazards/layers); the demo layers are "
                       "illustrative models, not official.",
            exposure_default=False,
        ))

        from django.utils.translation import gettext_lazy as _

        from core.page_access import SignedInPage, planner_or_administrator, register_signed_in_page

        register_signed_in_page(SignedInPage("planner-map", _("Planner map"), 20, planner_or_administrator))
