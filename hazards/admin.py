"""Admin for hazard layers and their zones, with map widgets served from the installed package."""
from django.contrib import admin
from leaflet.admin import LeafletGeoAdmin

from .models import HazardLayer, HazardZone


@admin.register(HazardLayer)
class HazardLayerAdmin(LeafletGeoAdmin):
    list_display = ["slug", "kind", "source", "return_period_years", "units", "updated_at"]
    list_filter = ["kind", "source"]
    search_fields = ["slug", "title_en", "title_el"]


@admin.register(HazardZone)
class HazardZoneAdmin(LeafletGeoAdmin):
    list_display = ["id", "layer", "level", "value"]
    list_filter = ["layer", "level"]
