"""List filters of the REST API: django-filter FilterSets whose wrong values are a ParameterError naming the
parameter (the API's one 400), filters reading values with core.params' parsers (booleans, moments,
comma-separated choices), and the bbox filter (djangorestframework-gis's InBBoxFilter reading bbox= as
core.params does). drf-spectacular describes them in the OpenAPI document from the FilterSet."""
from django import forms
from django.db.models import QuerySet
from django_filters import filters
from django_filters.rest_framework import DjangoFilterBackend, FilterSet
from django_filters.widgets import BaseCSVWidget
from rest_framework_gis.filters import InBBoxFilter

from .params import ParameterError, optional_bbox, parse_bool, parse_datetime


def checked(filterset: FilterSet) -> FilterSet:
    """The FilterSet with its values read; the first wrong one is a ParameterError naming it."""
    if not filterset.is_valid():
        name, messages = next(iter(filterset.errors.items()))
        raise ParameterError(name, messages[0])
    return filterset


class QueryFilterBackend(DjangoFilterBackend):
    """django-filter's backend, with a wrong value answered as every other wrong parameter of the API."""

    def filter_queryset(self, request, queryset, view):
        filterset = self.get_filterset(request, queryset, view)
        return queryset if filterset is None else checked(filterset).qs


def filterset_of(view, queryset: QuerySet) -> FilterSet:
    """The view's FilterSet over queryset with the request's values, checked: for a view that needs the values
    themselves as well as the filtered rows."""
    return checked(QueryFilterBackend().get_filterset(view.request, queryset, view))


class ParsedField(forms.Field):
    """A value read by one of core.params' parsers, so a filter accepts and refuses what the rest of the API does,
    in the same words; absent or empty is `default`."""

    def __init__(self, *, parse, default=None, **kwargs):
        super().__init__(**kwargs)
        self.parse, self.default = parse, default

    def to_python(self, value):
        if value is None or str(value).strip() == "":
            return self.default
        try:
            return self.parse(value, parameter="value")
        except ParameterError as exc:
            raise forms.ValidationError(exc.message) from None


class FlagFilter(filters.BooleanFilter):
    """A boolean in the one vocabulary (core.params.parse_bool); absent is `default` (None: not filtered)."""

    field_class = ParsedField

    def __init__(self, *args, default=None, **kwargs):
        super().__init__(*args, parse=parse_bool, default=default, **kwargs)


class MomentFilter(filters.IsoDateTimeFilter):
    """An ISO 8601 date or date and time (core.params.parse_datetime)."""

    field_class = ParsedField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, parse=parse_datetime, **kwargs)


class CommaSeparatedWidget(BaseCSVWidget, forms.TextInput):
    """a, b,,c as ["a", "b", "c"]: spaces around an item and empty items are dropped."""

    def value_from_datadict(self, data, files, name):
        value = super().value_from_datadict(data, files, name)
        return value if value is None else [item.strip() for item in value if item.strip()]


class ChoiceInFilter(filters.BaseInFilter, filters.ChoiceFilter):
    """Comma-separated values, each one of the choices; `invalid` says what to send (%(value)s is the wrong one)."""

    def __init__(self, *args, invalid: str, **kwargs):
        super().__init__(*args, widget=CommaSeparatedWidget, error_messages={"invalid_choice": invalid}, **kwargs)


class CharInFilter(filters.BaseInFilter, filters.CharFilter):
    """Comma-separated values (codes, slugs)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, widget=CommaSeparatedWidget, **kwargs)


class BBoxFilter(InBBoxFilter):
    """bbox=min_long,min_lat,max_long,max_lat (WGS84) read by core.params.parse_bbox. The view names the geometry
    field (`bbox_filter_field`); a feature counts when it lies in the box, edges included (ST_CoveredBy), or with
    `bbox_filter_include_overlapping` when any part of it touches the box (ST_Intersects)."""

    bbox_param = "bbox"

    def get_filter_bbox(self, request):
        return optional_bbox(request.query_params, self.bbox_param)

    def filter_queryset(self, request, queryset, view):
        field = getattr(view, "bbox_filter_field", None)
        box = self.get_filter_bbox(request) if field else None
        if box is None:
            return queryset
        if getattr(view, "bbox_filter_include_overlapping", False):
            return queryset.filter(**{f"{field}__bboverlaps": box, f"{field}__intersects": box})
        return queryset.filter(**{f"{field}__coveredby": box})

    def get_schema_operation_parameters(self, view):
        (parameter,) = super().get_schema_operation_parameters(view)
        return [{**parameter, "description": "min_long,min_lat,max_long,max_lat in WGS84 degrees"}]
