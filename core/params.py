"""Parsing request parameters (coordinates, boxes, numbers, moments, booleans, GeoJSON geometries) into
typed values. Every problem is one error type, ParameterError (a core.errors.ServiceError), naming the parameter
and what to send; every API answers it 400 in its own shape."""
import json
import math
from collections.abc import Sequence
from datetime import datetime, timezone

from django.conf import settings
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


# The one vocabulary of booleans, in query parameters and request bodies alike (any case).
TRUE_WORDS = ("true", "1", "yes", "on")
FALSE_WORDS = ("false", "0", "no", "off")


def parse_bool(raw, *, parameter: str) -> bool:
    """true/1/yes/on or false/0/no/off in any case; a JSON true or false (or 1 or 0) as itself."""
    if isinstance(raw, bool):
        return raw
    word = str(raw).strip().lower() if isinstance(raw, (str, int)) else None
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ParameterError(parameter, _("must be one of %(true)s (true) or %(false)s (false), got %(value)r")
                         % {"true": ", ".join(TRUE_WORDS), "false": ", ".join(FALSE_WORDS), "value": str(raw)[:20]})


def flag(params, name: str, default: bool = False) -> bool:
    """The boolean `name` (see parse_bool); default when it is absent, empty or null."""
    raw = params.get(name)
    if raw is None or (isinstance(raw, str) and raw.strip() == ""):
        return default
    return parse_bool(raw, parameter=name)


GEOMETRY_EXAMPLE = '{"type": "Point", "coordinates": [22.94, 40.63]}'


def parse_geometry(raw, *, parameter: str, types: Sequence[str]) -> GEOSGeometry:
    """A GeoJSON geometry (an object or its JSON text) of one of `types`, as a valid WGS84 (SRID 4326) geometry
    of at most settings.GEOMETRY_MAX_VERTICES positions; ParameterError says what to fix."""
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError:
            raise ParameterError(parameter, _("is not JSON; send a GeoJSON geometry such as %(example)s")
                                 % {"example": GEOMETRY_EXAMPLE}) from None
    if not isinstance(raw, dict) or "type" not in raw or "coordinates" not in raw:
        raise ParameterError(parameter, _("send a GeoJSON geometry with 'type' and 'coordinates', such as %(example)s")
                             % {"example": GEOMETRY_EXAMPLE})
    kind = str(raw["type"])[:30]
    if kind not in types:
        raise ParameterError(parameter, _("a %(kind)s is not accepted; send one of %(types)s") % {"kind": kind, "types": ", ".join(types)})
    try:
        geom = GEOSGeometry(json.dumps(raw))
    except (GEOSException, GDALException, ValueError, TypeError):
        raise ParameterError(parameter, _("the %(kind)s cannot be read; coordinates are [longitude, latitude] numbers, a "
                                          "line needs at least two positions, a polygon ring at least four with the last "
                                          "equal to the first") % {"kind": kind}) from None
    if geom.srid not in (None, 4326):
        raise ParameterError(parameter, _("coordinates must be WGS84 longitude and latitude (EPSG:4326), not EPSG:%(srid)s")
                             % {"srid": geom.srid})
    geom.srid = 4326
    if geom.empty:
        raise ParameterError(parameter, _("the %(kind)s has no positions") % {"kind": kind})
    if geom.num_coords > settings.GEOMETRY_MAX_VERTICES:
        raise ParameterError(parameter, _("%(count)d positions; at most %(limit)d, simplify the drawing")
                             % {"count": geom.num_coords, "limit": settings.GEOMETRY_MAX_VERTICES})
    xmin, ymin, xmax, ymax = geom.extent
    if not (-180 <= xmin <= xmax <= 180 and -90 <= ymin <= ymax <= 90):
        raise ParameterError(parameter, _("coordinates must be [longitude, latitude] in WGS84 degrees"))
    if not geom.valid:
        reason = geom.valid_reason
        hint = (_("draw it so that its edges do not cross (or as two polygons)") if "intersection" in reason.lower()
                else _("redraw it"))
        raise ParameterError(parameter, _("the %(kind)s is not valid: %(reason)s; %(hint)s")
                             % {"kind": kind, "reason": reason, "hint": hint})
    if geom.geom_type == "LineString" and geom.length == 0:
        raise ParameterError(parameter, _("the line has no length; send a Point for one place"))
    return geom
