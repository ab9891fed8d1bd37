"""App configuration for the reference layers."""
from django.apps import AppConfig


class LayersConfig(AppConfig):
    name = "layers"
    verbose_name = "Reference layers"

    def ready(self):
        from django.conf import settings

        from django.utils.translation import gettext_lazy as _

        from core.api_schema import register_openapi_document
        from core.context_processors import register_offline_layer
        from core.navigation import FOOTER, NavLink, register_nav_link
        from core.errors import register_error_shape

        from . import registry
        from .ogc.openapi import OGC_PREFIX, ogc_openapi
        from .ogc.errors import ogc_error_shape
        from .registry import Collection, register

        register_error_shape("/ogc/", ogc_error_shape)
        register_offline_layer("municipalities", "municipality-list")
        register_offline_layer("districts", "district-list")
        register_offline_layer("places", "place-list")
        register_nav_link(NavLink("ogc-landing", _("Open data (OGC API)"), 30, place=FOOTER))
        register_openapi_document(OGC_PREFIX, lambda: ogc_openapi(registry.all_collections()))

        register(Collection(
            id="districts", title_en="Municipal districts", title_el="Δημοτικές κοινότητες",
            description_en="The districts of the Municipality of Thessaloniki, with their residents.",
            description_el="Οι δημοτικές κοινότητες του Δήμου Θεσσαλονίκης, με τους κατοίκους τους.",
            table="layers_district", id_column="code", geometry_type="MultiPolygon",
            properties={"code": "string", "name_el": "string", "name_en": "string", "population": "integer"},
            sources=("layers_district",),
            keywords_en=("administrative units", "districts"), keywords_el=("διοικητικές ενότητες", "δημοτικές κοινότητες"),
            themes=("REGI", "GOVE"),
            provenance="Boundaries imported by the municipality's GIS team; each carries the provenance of its import. "
                       "The demo's districts are approximate, cut by the municipality's Kallikratis outline.",
            attribution=settings.BOUNDARY_ATTRIBUTION,
        ))
        register(Collection(
            id="heritage-sites", title_en="Heritage sites", title_el="Μνημεία πολιτιστικής κληρονομιάς",
            description_en="Monuments, churches, museums and archaeological sites, with the components of UNESCO World Heritage site 456.",
            description_el="Μνημεία, ναοί, μουσεία και αρχαιολογικοί χώροι, με τα μνημεία της UNESCO (456).",
            table="layers_heritagesite", id_column="slug", geometry_type="Point",
            properties={"slug": "string", "name_el": "string", "name_en": "string", "kind": "string", "period": "string",
                        "unesco_component": "boolean", "description_en": "string", "image_url": "string"},
            sources=("layers_heritagesite",),
            keywords_en=("cultural heritage", "UNESCO", "monuments"), keywords_el=("πολιτιστική κληρονομιά", "UNESCO", "μνημεία"),
            themes=("EDUC",),
            provenance="Compiled by the municipality; each site carries the provenance of its import (positions may be approximate).",
        ))
        register(Collection(
            id="service-points", title_en="Service points", title_el="Σημεία εξυπηρέτησης",
            description_en="Where the municipality's public services are offered, with opening hours and the services of each.",
            description_el="Πού προσφέρονται οι υπηρεσίες του Δήμου, με ωράριο και τις υπηρεσίες του καθενός.",
            table="ogc_service_points", id_column="slug", geometry_type="Point",
            properties={"slug": "string", "name_el": "string", "name_en": "string", "address": "string",
                        "opening_hours": "string", "services": "string"},
            sources=("layers_servicepoint", "layers_servicepoint_services", "layers_publicservice"),
            keywords_en=("public services", "CPSV-AP"), keywords_el=("δημόσιες υπηρεσίες", "CPSV-AP"),
            themes=("GOVE",),
            provenance="The municipality's service catalogue (CPSV-AP); each point carries the provenance of its import.",
        ))
