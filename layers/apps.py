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
        register(PointCollection(
            id="service-points", title_el="Σημεία εξυπηρέτησης", title_en="Service points",
            queryset=lambda: ServicePoint.objects.all(), geometry_field="geom",
            properties=lambda point: {"slug": point.slug, "name_el": point.name_el, "name_en": point.name_en,
                                      "address": point.address, "opening_hours": point.opening_hours},
        ))
