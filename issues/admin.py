"""Admin for departments, categories and routing rules."""
from django.contrib import admin

from .models import Category, Department, RoutingRule


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
