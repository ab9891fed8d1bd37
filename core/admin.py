"""Admin for request counters (read-only: the limits write them)."""
from django.contrib import admin

from .models import RequestCount


@admin.register(RequestCount)
class RequestCountAdmin(admin.ModelAdmin):
    list_display = ["scope", "key", "window_start", "count"]
    list_filter = ["scope"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
