"""The printable maps' offline basemap: the municipality, its neighbours and the districts, drawn from this
server's reference layers over the coastline's land (BASEMAP_COASTLINE), when no tile server is configured."""
import json

import folium
from django.conf import settings
from django.contrib.staticfiles import finders
from django.utils.translation import gettext as _

from core import printable_maps

from .models import District, Municipality


def printable_map(request, *, bounds: tuple[float, float, float, float] | None = None) -> folium.Map:
    """core.printable_maps.printable_map with the reference geography as its offline basemap."""
    return printable_maps.printable_map(request, bounds=bounds, offline_basemap=draw_offline_basemap)


def draw_offline_basemap(fmap: folium.Map) -> None:
    coastline = _coastline()
    if coastline:
        folium.GeoJson(
            {"type": "FeatureCollection", "features": coastline["features"]}, name=_("Land"), control=False,
            style_function=lambda f: {"fillColor": "#e9e6dc", "fillOpacity": 1, "color": "#8fa9ba", "weight": 1},
            interactive=False, attribution=coastline.get("notice", ""),
        ).add_to(fmap)
    home = settings.HOME_MUNICIPALITY_CODE
    municipalities = [_feature(m.geom, {"home": m.code == home}) for m in Municipality.objects.all()]
    folium.GeoJson(
        {"type": "FeatureCollection", "features": municipalities}, name=_("Municipalities"), control=False,
        style_function=lambda f: {"fillColor": "#f7f5ee" if f["properties"]["home"] else "#eceae3", "fillOpacity": 1,
                                  "color": "#6b6257" if f["properties"]["home"] else "#9a9286", "weight": 1.5},
        interactive=False,
    ).add_to(fmap)
    districts = [_feature(d.geom, {}) for d in District.objects.all()]
    folium.GeoJson(
        {"type": "FeatureCollection", "features": districts}, name=_("Districts"), control=False,
        style_function=lambda f: {"fill": False, "color": "#8d8577", "weight": 1, "dashArray": "4 4"}, interactive=False,
    ).add_to(fmap)


def _feature(geometry, properties: dict) -> dict:
    return {"type": "Feature", "geometry": json.loads(geometry.geojson), "properties": properties}


def _coastline() -> dict | None:
    path = finders.find(settings.BASEMAP_COASTLINE) if settings.BASEMAP_COASTLINE else None
    if not path:
        return None
    with open(path, encoding="utf-8") as source:
        return json.load(source)
