"""Request bodies read by DRF serializers (is_valid), so that the OpenAPI document is the behaviour: the first field
at fault is a ParameterError naming it (the API's one 400), and booleans and GeoJSON geometries are read by the
one parser each in core.params."""
from collections.abc import Sequence

from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.fields import empty

from .params import ParameterError, parse_bool, parse_geometry


def validated(serializer: serializers.Serializer) -> dict:
    """The serializer's validated data; the first field at fault is a ParameterError naming it (`projects.2` for an
    item of a list) with the serializer's message."""
    if serializer.is_valid():
        return serializer.validated_data
    names, detail = [], serializer.errors
    while isinstance(detail, (dict, list)):
        if isinstance(detail, dict):
            key, detail = next(iter(detail.items()))
            names.append(str(key))
        else:
            detail = detail[0]
    code = DRF_CODES.get(getattr(detail, "code", None) or "invalid", getattr(detail, "code", None) or "invalid")
    # a missing, null or blank field is said in the API's own words, as the services say it
    message = _("is required") if code == "required" else str(detail)
    raise ParameterError(".".join(names) or "body", message, code=code)


# DRF's codes of a field's refusal, as the API's stable codes
DRF_CODES = {"blank": "required", "null": "required", "max_length": "too_long", "max_value": "out_of_range",
             "min_value": "out_of_range"}


class FlagField(serializers.BooleanField):
    """A boolean in the one vocabulary (core.params.parse_bool); null or empty is as absent (the default)."""

    def validate_empty_values(self, data):
        if data is None or (isinstance(data, str) and not data.strip()):
            data = empty
        return super().validate_empty_values(data)

    def to_internal_value(self, data):
        try:
            return parse_bool(data, parameter=self.field_name)
        except ParameterError as exc:
            raise serializers.ValidationError(exc.message) from None


class GeometryField(serializers.JSONField):
    """A GeoJSON geometry of one of `types` (core.params.parse_geometry), as a GEOS geometry; null, "" and {} as
    none."""

    def __init__(self, *, types: Sequence[str], **kwargs):
        super().__init__(**kwargs)
        self.types = tuple(types)

    def to_internal_value(self, data):
        if data in ("", {}):
            return None
        try:
            return parse_geometry(data, parameter=self.field_name, types=self.types)
        except ParameterError as exc:
            raise serializers.ValidationError(exc.message) from None

    def to_representation(self, value):
        return None if value is None else value.json
