"""OGC API – Tiles views: vector tiles, TileJSON, a collection's tilesets, the tileset metadata and the tile matrix sets."""
from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _

from .. import features
from ..http_caching import cached
from . import tilesets as tilesets_module
from .errors import OgcError
from .params import parse_language
from .scopes import layer_scope, static_scope
from .tiles import MAX_ZOOM, tile
from .tilesets import TMS_ID
from .views import absolute_url, get_collection, ogc_view, url_maker

MVT = "application/vnd.mapbox-vector-tile"


@ogc_view
@cached(layer_scope())
def vector_tile(request, collection_id, z, y, x):
    """/collections/{id}/tiles/WebMercatorQuad/{z}/{y}/{x}: an MVT; an empty tile is 204."""
    collection = get_collection(collection_id)
    data = tile(collection, z, x, y)
    if not data:
        return HttpResponse(status=204)
    return HttpResponse(data, content_type=MVT)


@ogc_view
@cached(layer_scope(by_language=True))
def tilejson(request, collection_id):
    """TileJSON 3.0 for a collection's vector tiles, as MapLibre and OpenLayers read it."""
    collection = get_collection(collection_id)
    language = parse_language(request)
    template = absolute_url(request, "ogc-tile", collection_id=collection.id, z=0, y=0, x=0).replace("/0/0/0", "/{z}/{y}/{x}")
    bbox = features.extents(collection).bbox
    kinds = {"string": "String", "integer": "Number", "number": "Number", "boolean": "Boolean", "datetime": "String"}
    return JsonResponse({
        "tilejson": "3.0.0", "name": collection.title(language), "description": collection.description(language), "scheme": "xyz",
        "tiles": [template], "minzoom": 0, "maxzoom": MAX_ZOOM, "bounds": bbox or [-180, -85.05, 180, 85.05],
        "vector_layers": [{"id": collection.id, "fields": {name: kinds[kind] for name, kind in collection.properties.items()}}],
    })


def _tile_matrix_set_id(tms_id: str) -> None:
    if tms_id != TMS_ID:
        raise OgcError(404, "NotFound", _("no tile matrix set '%(id)s'; offered: %(offered)s (see /ogc/tileMatrixSets)")
                       % {"id": tms_id[:64], "offered": TMS_ID})


@ogc_view
@cached(layer_scope(by_language=True))
def tilesets(request, collection_id):
    """/collections/{id}/tiles: the collection's vector tilesets (one, in WebMercatorQuad)."""
    collection = get_collection(collection_id)
    return JsonResponse(tilesets_module.tileset_list(url_maker(request), collection, parse_language(request)))


@ogc_view
@cached(layer_scope(by_language=True))
def tileset(request, collection_id, tms_id):
    """/collections/{id}/tiles/WebMercatorQuad: the tileset's metadata, its tile URL template and limits."""
    collection = get_collection(collection_id)
    _tile_matrix_set_id(tms_id)
    bbox = features.extents(collection).bbox
    return JsonResponse(tilesets_module.tileset(url_maker(request), collection, parse_language(request), bbox))


@ogc_view
@cached(static_scope())
def tile_matrix_sets(request):
    return JsonResponse(tilesets_module.tile_matrix_sets(url_maker(request)))


@ogc_view
@cached(static_scope())
def tile_matrix_set(request, tms_id):
    _tile_matrix_set_id(tms_id)
    return JsonResponse(tilesets_module.tile_matrix_set())
