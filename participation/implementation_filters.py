"""The filters of the implementation list as a django-filter FilterSet (the map's filters: year, district, process,
status); the OpenAPI document describes them from it."""
from django_filters import filters
from django_filters.rest_framework import FilterSet

from .models import Implementation, ImplementationStatus


class ImplementationFilter(FilterSet):
    status = filters.ChoiceFilter(
        choices=ImplementationStatus.choices, help_text="planned, in_progress, done or cancelled",
        error_messages={"invalid_choice": f"one of {', '.join(ImplementationStatus.values)}, got '%(value)s'"})
    year = filters.NumberFilter(field_name="year", help_text="the year of its end, else its start")
    district = filters.CharFilter(field_name="district__code", help_text="district code")
    process = filters.CharFilter(field_name="process__slug", help_text="process slug")

    class Meta:
        model = Implementation
        fields = []
