"""The department queue's filters as a django-filter FilterSet: the view reads them through it, and the OpenAPI
document describes them from it."""
from django.db.models import Q
from django_filters import filters
from django_filters.rest_framework import FilterSet

from core.filters import CharInFilter, ChoiceInFilter, MomentFilter

from .models import Issue


class DepartmentQueueFilter(FilterSet):
    """Filters of a department's reports. The status is left to selectors.department_queue, which first counts the
    reports per status over the other filters (so the counts say what choosing a status would give)."""

    status = ChoiceInFilter(
        choices=Issue.Status.choices, method="counted_first",
        invalid=f"unknown status '%(value)s'; one of {', '.join(Issue.Status.values)}",
        help_text=f"comma-separated: {', '.join(Issue.Status.values)}")
    category = CharInFilter(field_name="category__service_code", help_text="comma-separated service codes")
    district = CharInFilter(field_name="district__code", help_text="comma-separated district codes")
    created_from = MomentFilter(field_name="created_at", lookup_expr="gte", help_text="reported at or after")
    created_to = MomentFilter(field_name="created_at", lookup_expr="lt", help_text="reported before")
    priority = ChoiceInFilter(
        choices=Issue.Priority.choices, invalid="comma-separated numbers from 1 (low) to 4 (urgent), got '%(value)s'",
        help_text="comma-separated numbers from 1 (low) to 4 (urgent)")
    q = filters.CharFilter(method="text", help_text="text in description, address or routing note")

    class Meta:
        model = Issue
        fields = []

    def counted_first(self, queryset, name, value):
        return queryset

    def text(self, queryset, name, value):
        return queryset.filter(Q(description__icontains=value) | Q(address__icontains=value)
                               | Q(routing_note__icontains=value))
