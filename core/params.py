"""Parsing request parameters (coordinates, boxes, numbers, moments, lists, flags) into typed values. Every
problem is one error type, ParameterError (a core.errors.ServiceError), naming the parameter and what to send;
every API answers it 400 in its own shape."""
import json
import math
from datetime import datetime, timezone

from django.utils import timezone as django_timezone
from django.utils.translation import gettext as _

from django.contrib.gis.gdal import GDALException
from django.contrib.gis.geos import GEOSException, GEOSGeometry, Point, Polygon

from .errors import ServiceError


class ParameterError(ServiceError):
    """A request parameter is wrong: str() is "<parameter>: <what to send>"."""

    def __init__(self, parameter: str, message: str, *, code: str = "invalid", **extra):
        super().__init__(message, parameter=parameter, code=code, **extra)


def parse_coordinate(raw, *, parameter: str, low: float, high: float) -> float:
    if raw is None or str(raw).strip() == "":
        raise ParameterError(parameter, _("is required"), code="required")
    try:
        value = float(str(raw).strip())
    except ValueError:
        raise ParameterError(parameter, _("must be a number, got %(value)r") % {"value": str(raw)[:40]}) from None
    if math.isnan(value) or math.isinf(value):
        raise ParameterError(parameter, _("must be a finite number, got %(value)r") % {"value": str(raw)[:40]})
    if not low <= value <= high:
        raise ParameterError(parameter, _("must be between %(low)g and %(high)g, got %(value)g")
                             % {"low": low, "high": high, "value": value}, code="out_of_range")
    return value


def point_from_params(params, *, lon_names=("lon", "long", "lng"), lat_name="lat") -> Point:
    """A WGS84 point from lat and lon (or Open311's long) query or form parameters."""
    lon_name = next((name for name in lon_names if name in params), lon_names[0])
    lon = parse_coordinate(params.get(lon_name), parameter=lon_name, low=-180, high=180)
    lat = parse_coordinate(params.get(lat_name), parameter=lat_name, low=-90, high=90)
    return Point(lon, lat, srid=4326)


def geometry_from_geojson(raw: dict, *, parameter: str) -> GEOSGeometry:
    """A GeoJSON geometry object as a WGS84 GEOS geometry; ParameterError when GEOS cannot read it."""
    try:
        return GEOSGeometry(json.dumps(raw), srid=4326)
    except (GEOSException, GDALException, ValueError, TypeError) as exc:
        raise ParameterError(parameter, _("the geometry cannot be read: %(reason)s") % {"reason": str(exc)[:200]}) from None


def degrees_padding(metres: float, lat: float) -> float:
    """Degrees that surely cover `metres` in any direction at latitude lat (for an && box prefilter)."""
    cos_lat = max(math.cos(math.radians(min(abs(lat), 89.0))), 0.01)
    return metres / (111_320.0 * cos_lat) * 1.1


def parse_bbox(raw: str) -> Polygon:
    """min_long,min_lat,max_long,max_lat (WGS84) as a polygon; ParameterError names what is wrong."""
    parts = raw.split(",")
    if len(parts) != 4:
        raise ParameterError("bbox", _("needs 4 numbers min_long,min_lat,max_long,max_lat, got %(count)d") % {"count": len(parts)})
    min_lon, max_lon = (parse_coordinate(parts[i], parameter="bbox", low=-180, high=180) for i in (0, 2))
    min_lat, max_lat = (parse_coordinate(parts[i], parameter="bbox", low=-90, high=90) for i in (1, 3))
    if min_lon > max_lon or min_lat > max_lat:
        raise ParameterError("bbox", _("the minimum must not exceed the maximum (min_long,min_lat,max_long,max_lat)"))
    box = Polygon.from_bbox((min_lon, min_lat, max_lon, max_lat))
    box.srid = 4326
    return box


def parse_int(raw, *, parameter: str, low: int, high: int) -> int:
    try:
        value = int(str(raw).strip())
    except ValueError:
        raise ParameterError(parameter, _("must be a whole number, got %(value)r") % {"value": str(raw)[:40]}) from None
    if not low <= value <= high:
        raise ParameterError(parameter, _("must be between %(low)d and %(high)d, got %(value)d")
                             % {"low": low, "high": high, "value": value}, code="out_of_range")
    return value


# Moments outside these years are refused: they mean nothing for the city's data, and near the ends of
# Python's range (years 1 and 9999) arithmetic and time-zone shifts overflow.
EARLIEST_YEAR, LATEST_YEAR = 1900, 2999


def parse_datetime(raw, *, parameter: str, example: str = "2026-11-24T10:00:00+02:00") -> datetime:
    """An ISO 8601 date or date and time, as an aware datetime in UTC; a date or a time without an offset is
    in the server's time zone (Europe/Athens)."""
    text = str(raw).strip()
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
        value = value if value.tzinfo else django_timezone.make_aware(value)
        value = value.astimezone(timezone.utc)
    except (ValueError, OverflowError):
        raise ParameterError(parameter, _("must be an ISO 8601 date or date and time such as %(example)s, got %(value)r")
                             % {"example": example, "value": text[:40]}) from None
    if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        raise ParameterError(parameter, _("must be between the years %(first)d and %(last)d, got %(value)r")
                             % {"first": EARLIEST_YEAR, "last": LATEST_YEAR, "value": text[:40]}, code="out_of_range")
    return value


def optional_int(params, name: str, default, *, low: int, high: int):
    """The whole number `name`, or default when it is absent or empty."""
    raw = params.get(name)
    return default if raw in (None, "") else parse_int(raw, parameter=name, low=low, high=high)


def optional_datetime(params, name: str) -> datetime | None:
    raw = params.get(name)
    return None if raw in (None, "") else parse_datetime(raw, parameter=name)


def optional_bbox(params, name: str = "bbox") -> Polygon | None:
    raw = params.get(name)
    return None if raw in (None, "") else parse_bbox(raw)


def comma_list(params, name: str) -> list[str]:
    """a,b,c as ["a", "b", "c"]; absent or empty as []."""
    raw = params.get(name) or ""
    return [item.strip() for item in str(raw).split(",") if item.strip()]


def flag(params, name: str, default: bool = False) -> bool:
    """true/false, 1/0, yes/no, on/off; default when absent or empty."""
    raw = str(params.get(name, "")).strip().lower()
    if raw == "":
        return default
    if raw in ("true", "1", "yes", "on"):
        return True
    if raw in ("false", "0", "no", "off"):
        return False
    raise ParameterError(name, _("must be true or false, got %(value)r") % {"value": raw[:20]})
