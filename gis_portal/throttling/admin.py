"""Admin for request counters and failed sign-ins (read-only: they are written by the limits)."""
from django.contrib import admin

from .models import LoginFailure, RequestCount


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(RequestCount)
class RequestCountAdmin(ReadOnlyAdmin):
    list_display = ["scope", "key", "window_start", "count"]
    list_filter = ["scope"]


@admin.register(LoginFailure)
class LoginFailureAdmin(ReadOnlyAdmin):
    list_display = ["username", "ip", "at"]
    search_fields = ["username", "ip"]
