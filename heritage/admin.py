"""Admin of heritage records: organisations and monuments are edited here; cultural objects are read here and
changed through imports (so every rule of `services.py` holds), withdrawn by an action that keeps the tombstone
harvesters need; nothing is deleted outright."""
from django.contrib import admin, messages
from leaflet.admin import LeafletGeoAdmin

from .models import CulturalObject, MediaFile, Monument, Organisation, SameAs
from .services import cultural_object_withdraw


@admin.register(Organisation)
class OrganisationAdmin(LeafletGeoAdmin):
    list_display = ["name_en", "name_el", "kind", "slug"]
    list_filter = ["kind"]
    search_fields = ["name_en", "name_el", "slug"]


@admin.register(Monument)
class MonumentAdmin(admin.ModelAdmin):
    list_display = ["site", "organisation"]
    list_filter = ["organisation"]
    search_fields = ["site__name_en", "site__name_el", "site__slug"]
    raw_id_fields = ["site"]


class SameAsInline(admin.TabularInline):
    model = SameAs
    extra = 0


class MediaFileInline(admin.TabularInline):
    model = MediaFile
    extra = 0


@admin.register(CulturalObject)
class CulturalObjectAdmin(admin.ModelAdmin):
    list_display = ["identifier", "title_en", "organisation", "edm_type", "period", "modified", "deleted"]
    list_filter = ["organisation", "edm_type", "period", "kind", ("deleted", admin.EmptyFieldListFilter)]
    search_fields = ["identifier", "title_en", "title_el"]
    inlines = [SameAsInline, MediaFileInline]
    actions = ["withdraw"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # a deleted record must stay visible to harvesters as deleted: withdraw it instead

    @admin.action(description="Withdraw (kept as deleted for harvesters)", permissions=["view"])
    def withdraw(self, request, queryset):
        for obj in queryset:
            cultural_object_withdraw(identifier=obj.identifier)
        self.message_user(request, f"{queryset.count()} withdrawn", messages.SUCCESS)
