"""Admin for the catalogue, reports and their history, API keys and the outbox."""
from django.contrib import admin, messages
from django.db import models
from leaflet.admin import LeafletGeoAdmin

from .api_keys import api_key_create
from .models import (
    ApiKey, Category, Department, DepartmentMembership, IdempotencyRecord, Issue, IssueUpdate, Notification,
    RoutingRule, Support, Watcher,
)


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["slug", "name_en", "name_el", "email", "phone", "active"]
    list_filter = ["active"]
    search_fields = ["slug", "name_en", "name_el"]


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["service_code", "name_en", "name_el", "group_en", "target_days", "active"]
    list_filter = ["group_en", "active"]
    search_fields = ["service_code", "name_en", "name_el", "keywords"]


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin):
    list_display = ["category", "district", "department", "note"]
    list_select_related = ["category", "district", "department"]
    list_filter = ["department", "district"]
    autocomplete_fields = ["category", "department"]


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    """Keys are created here or with issues_create_api_key; the clear key is shown once, on creation."""

    list_display = ["name", "prefix", "rate_limit_per_minute", "active", "created_at", "last_used_at"]
    list_filter = ["active"]
    readonly_fields = ["prefix", "created_at", "last_used_at"]
    fields = ["name", "rate_limit_per_minute", "active", "prefix", "created_at", "last_used_at"]

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        created, raw = api_key_create(name=obj.name, rate_limit_per_minute=obj.rate_limit_per_minute)
        obj.pk, obj.prefix, obj.key_hash = created.pk, created.prefix, created.key_hash
        obj._state.adding = False
        messages.warning(request, f"The new key is {raw} — copy it now: it is stored hashed and will not be shown again.")


class IssueUpdateInline(admin.TabularInline):
    model = IssueUpdate
    extra = 0
    fields = ["created_at", "kind", "from_status", "to_status", "close_reason", "public", "actor", "description"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Issue)
class IssueAdmin(LeafletGeoAdmin):
    list_display = ["id", "category", "status", "district", "department", "created_at"]
    list_filter = ["status", "department", "district", "category"]
    list_select_related = ["category", "district", "department"]
    search_fields = ["id", "description", "address"]
    readonly_fields = ["token", "routing_note", "created_at", "updated_at", "status", "close_reason"]
    raw_id_fields = ["duplicate_of", "user"]
    inlines = [IssueUpdateInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(IssueUpdate)
class IssueUpdateAdmin(admin.ModelAdmin):
    list_display = ["id", "issue", "kind", "from_status", "to_status", "public", "actor", "created_at"]
    list_filter = ["kind", "public"]
    raw_id_fields = ["issue", "user"]


@admin.register(Support)
class SupportAdmin(admin.ModelAdmin):
    list_display = ["issue", "user", "device_id", "created_at"]
    raw_id_fields = ["issue", "user"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["id", "kind", "issue", "recipient", "attempts", "sent_at", "failed"]
    list_filter = ["kind", "failed"]
    raw_id_fields = ["issue", "update"]


@admin.register(IdempotencyRecord)
class IdempotencyRecordAdmin(admin.ModelAdmin):
    list_display = ["scope", "key", "issue", "created_at"]
    raw_id_fields = ["issue"]


@admin.register(DepartmentMembership)
class DepartmentMembershipAdmin(admin.ModelAdmin):
    """Who works which department's queue; managers also reassign and see the department's figures."""

    list_display = ["user", "department", "role"]
    list_filter = ["department", "role"]
    autocomplete_fields = ["department"]
    raw_id_fields = ["user"]


@admin.register(Watcher)
class WatcherAdmin(admin.ModelAdmin):
    list_display = ["issue", "email", "created_at"]
    raw_id_fields = ["issue"]
