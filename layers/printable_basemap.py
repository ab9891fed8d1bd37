"""The printable maps' offline basemap: the municipality, its neighbours and the districts, drawn from this
server's reference layers over the land and sea of BASEMAP_COASTLINE, when no tile server is configured. Beyond
that file's extent the map shows its neutral "no data" background (core/printable.css), never sea."""
import json

import folium
from django.conf import settings
from django.utils.translation import gettext as _

from core import basemap_surface, printable_maps

from .models import District, Municipality


# the colours of core/map.css's offline basemap (.basemap-land, .basemap-sea)
LAND_AND_SEA = {
    basemap_surface.LAND: {"fillColor": "#e9e6dc", "fillOpacity": 1, "color": "#8fa9ba", "weight": 1},
    basemap_surface.SEA: {"fillColor": "#dbe7ef", "fillOpacity": 1, "stroke": False},
}


def printable_map(request, *, bounds: tuple[float, float, float, float] | None = None) -> folium.Map:
    """core.printable_maps.printable_map with the reference geography as its offline basemap."""
    return printable_maps.printable_map(request, bounds=bounds, offline_basemap=draw_offline_basemap)


def draw_offline_basemap(fmap: folium.Map) -> None:
    coastline = basemap_surface.coastline()
    if coastline:
        folium.GeoJson(
            {"type": "FeatureCollection", "features": coastline["features"]}, name=_("Land and sea"), control=False,
            style_function=lambda f: LAND_AND_SEA[f["properties"]["kind"]],
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

