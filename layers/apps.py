"""App configuration for the reference layers."""
from django.apps import AppConfig


class LayersConfig(AppConfig):
    name = "layers"
    verbose_name = "Reference layers"

    def ready(self):
        from .collections import PointCollection, register
        from .models import HeritageSite, ServicePoint

        register(PointCollection(
            id="heritage-sites", title_el="Μνημεία πολιτιστικής κληρονομιάς", title_en="Heritage sites",
            queryset=lambda: HeritageSite.objects.all(), geometry_field="geom",
            properties=lambda site: {"slug": site.slug, "name_el": site.name_el, "name_en": site.name_en, "kind": site.kind,
                                     "unesco_component": site.unesco_component},
        ))
        from .ogc.registry import FeatureCollection
        from .ogc.registry import register as register_ogc

        register_ogc(FeatureCollection(
            id="districts", title="Municipal districts", description="The districts of the Municipality of Thessaloniki.",
            table="layers_district", id_column="code", geometry_type="MultiPolygon",
            properties={"code": "string", "name_el": "string", "name_en": "string", "population": "integer"},
            keywords=["administrative units"],
        ))
        register_ogc(FeatureCollection(
            id="heritage-sites", title="Heritage sites", description="Monuments, churches, museums and archaeological sites.",
            table="layers_heritagesite", id_column="slug", geometry_type="Point",
            properties={"slug": "string", "name_el": "string", "name_en": "string", "kind": "string", "period": "string",
                        "unesco_component": "boolean", "description_en": "string", "image_url": "string"},
            keywords=["cultural heritage", "UNESCO"],
        ))
        register_ogc(FeatureCollection(
            id="service-points", title="Service points", description="Where the municipality's services are offered.",
            table="ogc_service_points", id_column="slug", geometry_type="Point",
            properties={"slug": "string", "name_el": "string", "name_en": "string", "address": "string",
                        "opening_hours": "string", "services": "string"},
            keywords=["public services", "CPSV-AP"],
        ))
        register(PointCollection(
            id="service-points", title_el="Σημεία εξυπηρέτησης", title_en="Service points",
            queryset=lambda: ServicePoint.objects.all(), geometry_field="geom",
            properties=lambda point: {"slug": point.slug, "name_el": point.name_el, "name_en": point.name_en,
                                      "address": point.address, "opening_hours": point.opening_hours},
        ))
