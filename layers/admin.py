"""Admin for the reference geography, with Leaflet map widgets served from the installed package."""
from django.contrib import admin
from leaflet.admin import LeafletGeoAdmin

from .models import (
    District, DistrictPiece, HeritageSite, Municipality, MunicipalityPiece, Place, PlaceName, PublicService, ServicePoint,
)


@admin.register(Municipality)
class MunicipalityAdmin(LeafletGeoAdmin):
    list_display = ["code", "name_el", "name_en", "updated_at"]
    search_fields = ["code", "name_el", "name_en"]


@admin.register(District)
class DistrictAdmin(LeafletGeoAdmin):
    list_display = ["code", "name_el", "name_en", "municipality", "updated_at"]
    list_select_related = ["municipality"]
    search_fields = ["code", "name_el", "name_en"]


class PieceAdmin(LeafletGeoAdmin):
    """The lookup pieces are rebuilt by the database from their area; they are shown, never edited."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(MunicipalityPiece)
class MunicipalityPieceAdmin(PieceAdmin):
    list_display = ["id", "municipality"]
    list_select_related = ["municipality"]
    list_filter = ["municipality"]


@admin.register(DistrictPiece)
class DistrictPieceAdmin(PieceAdmin):
    list_display = ["id", "district"]
    list_select_related = ["district"]
    list_filter = ["district"]


class PlaceNameInline(admin.TabularInline):
    model = PlaceName
    extra = 1


@admin.register(Place)
class PlaceAdmin(LeafletGeoAdmin):
    list_display = ["name_en", "name_el", "kind"]
    list_filter = ["kind"]
    search_fields = ["name_en", "name_el", "names__key"]
    inlines = [PlaceNameInline]


@admin.register(PlaceName)
class PlaceNameAdmin(admin.ModelAdmin):
    list_display = ["key", "place"]
    search_fields = ["key"]


@admin.register(HeritageSite)
class HeritageSiteAdmin(LeafletGeoAdmin):
    list_display = ["name_en", "name_el", "kind", "unesco_component"]
    list_filter = ["kind", "unesco_component"]
    search_fields = ["name_en", "name_el", "slug"]


@admin.register(PublicService)
class PublicServiceAdmin(admin.ModelAdmin):
    list_display = ["identifier", "name_en", "competent_authority", "in_person"]
    list_filter = ["competent_authority", "in_person"]
    search_fields = ["identifier", "name_en", "name_el"]


@admin.register(ServicePoint)
class ServicePointAdmin(LeafletGeoAdmin):
    list_display = ["name_en", "address", "opening_hours"]
    search_fields = ["name_en", "name_el", "address"]
    filter_horizontal = ["services"]
