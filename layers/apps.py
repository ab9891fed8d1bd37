"""App configuration for the reference layers."""
from django.apps import AppConfig


class LayersConfig(AppConfig):
    name = "layers"
    verbose_name = "Reference layers"

    def ready(self):
        from .collections import PointCollection, register
        from .models import Place

        register(PointCollection(
            id="heritage-sites", title_el="Μνημεία πολιτιστικής κληρονομιάς", title_en="Heritage sites",
            queryset=lambda: Place.objects.filter(kind=Place.Kind.HERITAGE), geometry_field="geom",
            properties=lambda place: {"name_el": place.name_el, "name_en": place.name_en},
        ))
