"""Parsing longitude and latitude from request parameters, with errors that name the parameter."""
import math

from django.contrib.gis.geos import Point


class CoordinateError(ValueError):
    def __init__(self, parameter: str, message: str):
        super().__init__(f"{parameter}: {message}")
        self.parameter = parameter


def parse_coordinate(raw, *, parameter: str, low: float, high: float) -> float:
    if raw is None or str(raw).strip() == "":
        raise CoordinateError(parameter, "is required")
    try:
        value = float(str(raw).strip())
    except ValueError:
        raise CoordinateError(parameter, f"must be a number, got {str(raw)[:40]!r}") from None
    if math.isnan(value) or math.isinf(value):
        raise CoordinateError(parameter, f"must be a finite number, got {str(raw)[:40]!r}")
    if not low <= value <= high:
        raise CoordinateError(parameter, f"must be between {low:g} and {high:g}, got {value:g}")
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
