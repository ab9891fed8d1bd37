"""The offline basemap's land and sea (the static file BASEMAP_COASTLINE): the extent its data covers, which is
also the area the site's maps may show, and what it says of a point: land, sea, or no data beyond its extent."""
import json
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.contrib.gis.geos import GEOSGeometry, Point
from django.contrib.gis.geos.prepared import PreparedGeometry
from django.contrib.staticfiles import finders

LAND = "land"
SEA = "sea"
NO_DATA = "no data"


def coastline_path() -> Path | None:
    """The file, found like any static file; None when the setting is empty or names no file."""
    return _find(settings.BASEMAP_COASTLINE) if settings.BASEMAP_COASTLINE else None


@lru_cache(maxsize=4)
def _find(name: str) -> Path | None:
    found = finders.find(name)
    return Path(found) if found else None


def coastline() -> dict | None:
    """The file's GeoJSON (a FeatureCollection of `land` and `sea` features, its `bbox`, `notice`), or None."""
    loaded = _loaded()
    return loaded[0] if loaded else None


def extent() -> tuple[float, float, float, float] | None:
    """(west, south, east, north) of the land-and-sea data, or None without a file."""
    data = coastline()
    return tuple(data["bbox"]) if data and data.get("bbox") else None


def surface_at(lon: float, lat: float) -> str:
    """LAND or SEA where the file says so (a point on the coastline counts as land), NO_DATA elsewhere."""
    loaded = _loaded()
    if loaded is None:
        return NO_DATA
    point = Point(lon, lat, srid=4326)
    for kind in (LAND, SEA):
        if any(shape.covers(point) for shape in loaded[1].get(kind, [])):
            return kind
    return NO_DATA


def _loaded() -> tuple[dict, dict[str, list[PreparedGeometry]]] | None:
    path = coastline_path()
    return _read(str(path), path.stat().st_mtime_ns) if path else None


@lru_cache(maxsize=4)
def _read(path: str, mtime_ns: int) -> tuple[dict, dict[str, list[PreparedGeometry]]]:
    """The file and its shapes by kind, read once per version of the file."""
    with open(path, encoding="utf-8") as source:
        data = json.load(source)
    shapes: dict[str, list[PreparedGeometry]] = {}
    for feature in data["features"]:
        shapes.setdefault(feature["properties"]["kind"], []).append(
            GEOSGeometry(json.dumps(feature["geometry"]), srid=4326).prepared)
    return data, shapes
