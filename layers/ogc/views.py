"""OGC API – Features and – Tiles views: landing page, conformance, collections, items (streamed), one item,
queryables, vector tiles, TileJSON, tilesets, tileset metadata and tile matrix sets; each cached by its layer's change stamp (layers/http_caching.py)."""
import json
import math
import re

from django.http import HttpResponse, JsonResponse, StreamingHttpResponse
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt

from core.errors import STATUS_CODES, ServiceError, with_retry_after
from core.params import parse_datetime

from .. import features, registry
from ..downloads import FORMATS
from ..features import DEFAULT_LIMIT, MAX_LIMIT
from ..http_caching import CacheScope, cached, requested_language
from core.replica import replica_reads
from . import crs as crs_module
from . import tilesets as tilesets_module
from .cql import MAX_COORDINATE, parse, to_sql
from .openapi import OGC_PREFIX, ogc_openapi
from .tiles import MAX_ZOOM, tile
from .tilesets import REL_TILING_SCHEMES, TMS_ID

GEOJSON = "application/geo+json"
ITEM_PARAMETERS = {"limit", "offset", "after", "bbox", "bbox-crs", "crs", "datetime", "filter", "filter-lang", "filter-crs", "f"}
CONFORMANCE = [
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/features-filter",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables-query-parameters",
    "http://www.opengis.net/spec/cql2/1.0/conf/basic-cql2",
    "http://www.opengis.net/spec/cql2/1.0/conf/cql2-text",
    "http://www.opengis.net/spec/cql2/1.0/conf/cql2-json",
    "http://www.opengis.net/spec/cql2/1.0/conf/advanced-comparison-operators",
    "http://www.opengis.net/spec/cql2/1.0/conf/case-insensitive-comparison",
    "http://www.opengis.net/spec/cql2/1.0/conf/accent-insensitive-comparison",
    "http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions",
    "http://www.opengis.net/spec/cql2/1.0/conf/spatial-functions",
    *tilesets_module.CONFORMANCE,
]


OGC_CODES = {400: "InvalidParameterValue", 403: "Forbidden", 404: "NotFound", 405: "MethodNotAllowed",
             503: "ServiceUnavailable"}


class OgcError(ServiceError):
    """A refusal made by the OGC API views themselves, with the OGC exception code (`ogc_code`)."""

    def __init__(self, status: int, ogc_code: str, description: str, *, parameter: str | None = None):
        super().__init__(description, status=status, parameter=parameter, code=STATUS_CODES.get(status, "invalid"))
        self.ogc_code = ogc_code


def ogc_error_shape(request, error: ServiceError) -> JsonResponse:
    """The OGC API's exception {code, description}, `code` the OGC exception code; the stable code as
    `error_code` and the field at fault as `parameter` (every core.errors.ServiceError, in or outside the views)."""
    body = {"code": getattr(error, "ogc_code", None) or OGC_CODES.get(error.status, "ServerError"),
            "description": str(error), "error_code": error.code, **error.fields()}
    return with_retry_after(JsonResponse(body, status=error.status), error)


def _bad(description: str, *, parameter: str | None = None) -> OgcError:
    return OgcError(400, "InvalidParameterValue", description, parameter=parameter)


def ogc_view(function):
    """GET and HEAD only; OGC errors as JSON {code, description}, never an HTML page. Read-only, so no CSRF check,
    and read from the replica when there is one (core/replica.py)."""
    read = replica_reads(function)

    @csrf_exempt
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            response = ogc_error_shape(request, OgcError(405, "MethodNotAllowed",
                                                         f"method {request.method[:10]} is not allowed; the OGC API is read-only"))
            response["Allow"] = "GET, HEAD"
            return response
        try:
            return read(request, *args, **kwargs)
        except ServiceError as exc:
            return ogc_error_shape(request, exc)
    wrapper.__name__ = function.__name__
    wrapper.__doc__ = function.__doc__
    return wrapper


def _url(request, name, **kwargs) -> str:
    return request.build_absolute_uri(reverse(name, kwargs=kwargs))


STATIC_MAX_AGE = 3600  # responses made from the code alone: landing page, conformance, API definition, queryables


def static_scope(by_language: bool = False):
    """The cache scope of a response made from the code alone."""
    return lambda request, *args, **kwargs: CacheScope(sources=(), max_age=STATIC_MAX_AGE, by_language=by_language)


def all_layers_scope(by_language: bool = False):
    """The cache scope of a response about every layer (the collections list, the catalogue)."""
    def scope(request, *args, **kwargs) -> CacheScope:
        return CacheScope(sources=registry.all_sources(), by_language=by_language,
                          max_age=min(c.max_age for c in registry.all_collections()))
    return scope


def layer_scope(by_language: bool = False):
    """The cache scope of a response about one layer; None for an unknown one (the view answers 404)."""
    def scope(request, collection_id, *args, **kwargs) -> CacheScope | None:
        collection = registry.get(collection_id)
        if collection is None:
            return None
        return CacheScope(sources=collection.sources, max_age=collection.max_age, by_language=by_language)
    return scope


def _language(request) -> str:
    language = requested_language(request)
    if language is None:
        raise _bad(f"el or en, got {request.GET['lang'][:20]!r}", parameter="lang")
    return language


TITLE = {"en": "Thessaloniki GIS portal – OGC API Features", "el": "Γεωπύλη Δήμου Θεσσαλονίκης – OGC API Features"}
DESCRIPTION = {
    "en": "Districts, heritage sites, service points, hazard zones and public issue reports of the Municipality of Thessaloniki.",
    "el": "Δημοτικές κοινότητες, μνημεία, σημεία εξυπηρέτησης, ζώνες κινδύνου και αιτήματα πολιτών του Δήμου Θεσσαλονίκης.",
}


@ogc_view
@cached(static_scope(by_language=True))
def landing(request):
    """Links to the API definition, the conformance classes, the collections and the open-data catalogue."""
    language = _language(request)
    return JsonResponse({
        "title": TITLE[language],
        "description": DESCRIPTION[language],
        "links": [
            {"href": _url(request, "ogc-landing"), "rel": "self", "type": "application/json", "title": "this document"},
            {"href": _url(request, "ogc-openapi"), "rel": "service-desc", "type": "application/vnd.oai.openapi+json;version=3.0",
             "title": "the API definition"},
            {"href": request.build_absolute_uri("/api/docs/"), "rel": "service-doc", "type": "text/html", "title": "API documentation"},
            {"href": _url(request, "ogc-conformance"), "rel": "conformance", "type": "application/json", "title": "conformance classes"},
            {"href": _url(request, "ogc-collections"), "rel": "data", "type": "application/json", "title": "collections"},
            {"href": _url(request, "ogc-catalogue"), "rel": "describedby", "type": "application/ld+json",
             "title": "DCAT-AP catalogue of the datasets and their downloads"},
            {"href": _url(request, "ogc-tilematrixsets"), "rel": REL_TILING_SCHEMES, "type": "application/json",
             "title": "tile matrix sets"},
        ],
    })


@ogc_view
@cached(static_scope())
def conformance(request):
    return JsonResponse({"conformsTo": CONFORMANCE})


@ogc_view
@cached(static_scope())
def openapi(request):
    response = JsonResponse(ogc_openapi(registry.all_collections(), server_url=request.build_absolute_uri(OGC_PREFIX)))
    response["Content-Type"] = "application/vnd.oai.openapi+json;version=3.0"
    return response


def _collection_json(request, collection, language: str) -> dict:
    known = features.extents(collection)
    bbox, times = known.bbox, known.times
    extent = {"spatial": {"bbox": [bbox] if bbox else [], "crs": crs_module.CRS84}}
    if collection.datetime_column:
        extent["temporal"] = {"interval": [[moment.isoformat() for moment in times] if times else [None, None]],
                              "trs": "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian"}
    return {
        "id": collection.id, "title": collection.title(language), "description": collection.description(language),
        "keywords": collection.keywords(language), "itemType": "feature", "extent": extent,
        "crs": list(crs_module.SUPPORTED), "storageCrs": crs_module.CRS84,
        "links": [
            {"href": _url(request, "ogc-collection", collection_id=collection.id), "rel": "self", "type": "application/json"},
            {"href": _url(request, "ogc-items", collection_id=collection.id), "rel": "items", "type": GEOJSON},
            {"href": _url(request, "ogc-queryables", collection_id=collection.id), "rel": "http://www.opengis.net/def/rel/ogc/1.0/queryables",
             "type": "application/schema+json"},
            {"href": _url(request, "ogc-tilejson", collection_id=collection.id), "rel": "describedby", "type": "application/json",
             "title": "TileJSON of the vector tiles (WebMercatorQuad)"},
            *tilesets_module.collection_links(lambda name, **kwargs: _url(request, name, **kwargs), collection),
            *[{"href": _url(request, "ogc-download", collection_id=collection.id, format_name=download.name), "rel": "enclosure",
               "type": download.media_type.split(";")[0], "title": f"{collection.title(language)}: {download.title}"}
              for download in FORMATS.values()],
        ],
    }


def _collection(collection_id: str) -> registry.Collection:
    collection = registry.get(collection_id)
    if collection is None:
        raise OgcError(404, "NotFound", f"no collection '{collection_id[:64]}'; see /ogc/collections")
    return collection


@ogc_view
@cached(all_layers_scope(by_language=True))
def collections(request):
    language = _language(request)
    return JsonResponse({
        "links": [{"href": _url(request, "ogc-collections"), "rel": "self", "type": "application/json"}],
        "collections": [_collection_json(request, c, language) for c in registry.all_collections()],
    })


@ogc_view
@cached(layer_scope(by_language=True))
def collection(request, collection_id):
    return JsonResponse(_collection_json(request, _collection(collection_id), _language(request)))


@ogc_view
@cached(static_scope(by_language=True))
def queryables(request, collection_id):
    collection = _collection(collection_id)
    language = _language(request)
    types = {"string": {"type": "string"}, "integer": {"type": "integer"}, "number": {"type": "number"},
             "boolean": {"type": "boolean"}, "datetime": {"type": "string", "format": "date-time"}}
    response = JsonResponse({
        "$schema": "https://json-schema.org/draft/2019-09/schema",
        "$id": _url(request, "ogc-queryables", collection_id=collection.id),
        "type": "object", "title": collection.title(language),
        "properties": {
            "geometry": {"$ref": f"https://geojson.org/schema/{collection.geometry_type}.json"},
            **{name: {"title": name, **types[kind]} for name, kind in collection.properties.items()},
        },
        "additionalProperties": False,
    })
    response["Content-Type"] = "application/schema+json"
    return response


WHOLE_NUMBER = re.compile(r"[+-]?[0-9]+")
NUMBER = re.compile(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?|[+-]?(inf|infinity|nan)", re.IGNORECASE)


def _int(value, name, default, low, high=2**31 - 1):
    if value in (None, ""):
        return default
    if not WHOLE_NUMBER.fullmatch(value):
        raise _bad(f"must be a whole number, got {value[:20]!r}", parameter=name)
    number = int(value)
    if number < low:
        raise _bad(f"must be {low} or more, got {number}", parameter=name)
    return min(number, high)


def _bbox(value):
    if not value:
        return None
    parts = value.split(",")
    if len(parts) not in (4, 6):
        raise _bad(f"needs 4 or 6 numbers, got {len(parts)}", parameter="bbox")
    if not all(NUMBER.fullmatch(p.strip()) for p in parts):
        raise _bad(f"not numbers: {value[:80]!r}", parameter="bbox")
    numbers = [float(p) for p in parts]
    if not all(math.isfinite(n) and abs(n) <= MAX_COORDINATE for n in numbers):
        raise _bad(f"needs finite coordinates of at most {MAX_COORDINATE:g} in size, got {value[:80]!r}", parameter="bbox")
    if len(numbers) == 6:
        numbers = [numbers[0], numbers[1], numbers[3], numbers[4]]
    if numbers[0] > numbers[2] or numbers[1] > numbers[3]:
        raise _bad("the lower corner must come first (min x, min y, max x, max y)", parameter="bbox")
    return numbers


def _instant(text, name):
    if text in ("", ".."):
        return None
    return parse_datetime(text, parameter=name, example="2026-11-24T10:00:00Z")


def _datetime(value):
    if not value:
        return None
    if "/" in value:
        start, end = value.split("/", 1)
        return _instant(start, "datetime"), _instant(end, "datetime")
    moment = _instant(value, "datetime")
    return moment, moment


def _after(value, collection):
    """The keyset of a `next` link: the id of the previous page's last feature (a whole number for most layers)."""
    if value in (None, ""):
        return None
    if collection.integer_ids:
        number = int(value) if WHOLE_NUMBER.fullmatch(value) else None
        if number is None or abs(number) >= 2**63:
            raise _bad(f"the id of the previous page's last feature, a whole number; got {value[:20]!r}", parameter="after")
        return number
    if len(value) > 200:
        raise _bad("the id of the previous page's last feature, at most 200 characters", parameter="after")
    return value


def _resolve_crs(value, name):
    return crs_module.resolve(value, name)


FEATURES_PER_PIECE = 500


@ogc_view
@cached(layer_scope())
def items(request, collection_id):
    """GeoJSON features built in SQL and streamed, with bbox, datetime, CRS and CQL2 filters; `next` links page by
    keyset (`after` the last id), `offset` still honoured; the count (kept per data version, see features.count)
    and the page come from the snapshot the ETag was made in."""
    collection = _collection(collection_id)
    params = request.GET
    unknown = sorted(set(params) - ITEM_PARAMETERS - set(collection.properties))
    if unknown:
        raise _bad(f"unknown parameter '{unknown[0][:40]}'; allowed: {', '.join(sorted(ITEM_PARAMETERS))} "
                   f"and the queryables {', '.join(collection.properties)}")
    if params.get("f", "json") not in ("json", "geojson"):
        raise _bad("only json is offered", parameter="f")
    limit = min(_int(params.get("limit"), "limit", DEFAULT_LIMIT, 1), MAX_LIMIT)
    offset = _int(params.get("offset"), "offset", 0, 0)
    output_crs = _resolve_crs(params.get("crs"), "crs")
    bbox_crs = _resolve_crs(params.get("bbox-crs"), "bbox-crs")
    datetime_range = _datetime(params.get("datetime"))
    if datetime_range is not None and not collection.datetime_column:
        raise _bad(f"collection {collection.id} has no time", parameter="datetime")
    cql = None
    if params.get("filter"):
        language = params.get("filter-lang", "cql2-text")
        if language not in ("cql2-text", "cql2-json"):
            raise _bad("filter-lang: cql2-text or cql2-json")
        filter_crs = _resolve_crs(params.get("filter-crs"), "filter-crs")
        cql = to_sql(parse(params["filter"], language), collection, filter_srid=filter_crs.srid, text=params["filter"])
    equals = {name: params[name] for name in collection.properties if name in params}
    query = features.where_clause(collection, bbox=_bbox(params.get("bbox")), bbox_crs=bbox_crs,
                                  datetime_range=datetime_range, equals=equals, cql=cql)
    after = _after(params.get("after"), collection)
    filtered = bool(equals or cql or datetime_range or params.get("bbox"))
    matched = features.count(collection, query, filtered=filtered)
    rows = features.page(collection, query, output_crs, limit=limit + 1, offset=offset, after=after) \
        if matched is None or after is not None or offset < matched else []
    more, page = len(rows) > limit, [text for _, text in rows[:limit]]
    returned = len(page)
    base = _url(request, "ogc-items", collection_id=collection.id)
    links = [{"href": request.build_absolute_uri(), "rel": "self", "type": GEOJSON}]
    if more:  # the next page starts after this page's last id (a keyset), however deep it is
        following = params.copy()
        following.pop("offset", None)
        following["after"], following["limit"] = str(rows[limit - 1][0]), str(limit)
        links.append({"href": f"{base}?{following.urlencode()}", "rel": "next", "type": GEOJSON})
    if offset > 0:
        previous = params.copy()
        previous["offset"], previous["limit"] = str(max(0, offset - limit)), str(limit)
        links.append({"href": f"{base}?{previous.urlencode()}", "rel": "prev", "type": GEOJSON})

    def body():
        # a few large pieces, not one per feature: each piece costs the server a write of its own
        yield '{"type": "FeatureCollection", "features": ['
        for start in range(0, returned, FEATURES_PER_PIECE):
            yield ("," if start else "") + ",".join(page[start:start + FEATURES_PER_PIECE])
        counted = '"numberMatched": %d, ' % matched if matched is not None else ""
        yield '], %s"numberReturned": %d, "links": %s}' % (counted, returned, json.dumps(links))

    response = StreamingHttpResponse(body(), content_type=GEOJSON)
    response["Content-Crs"] = f"<{output_crs.uri}>"
    return response


@ogc_view
@cached(layer_scope())
def item(request, collection_id, feature_id):
    collection = _collection(collection_id)
    unknown = sorted(set(request.GET) - {"crs", "f"})
    if unknown:
        raise _bad(f"unknown parameter '{unknown[0][:40]}'; allowed: crs, f")
    output_crs = _resolve_crs(request.GET.get("crs"), "crs")
    text = features.one(collection, feature_id, output_crs)
    if text is None:
        raise OgcError(404, "NotFound", f"collection {collection.id} has no feature '{feature_id[:64]}'")
    feature = json.loads(text)
    feature["links"] = [
        {"href": request.build_absolute_uri(), "rel": "self", "type": GEOJSON},
        {"href": _url(request, "ogc-collection", collection_id=collection.id), "rel": "collection", "type": "application/json"},
    ]
    response = JsonResponse(feature, content_type=GEOJSON)
    response["Content-Crs"] = f"<{output_crs.uri}>"
    return response


@csrf_exempt
def not_found(request, *args, **kwargs):
    return ogc_error_shape(request, OgcError(404, "NotFound", f"no such OGC API resource: {request.path[:100]}"))


MVT = "application/vnd.mapbox-vector-tile"


@ogc_view
@cached(layer_scope())
def vector_tile(request, collection_id, z, y, x):
    """/collections/{id}/tiles/WebMercatorQuad/{z}/{y}/{x}: an MVT; an empty tile is 204."""
    collection = _collection(collection_id)
    data = tile(collection, z, x, y)
    if not data:
        return HttpResponse(status=204)
    return HttpResponse(data, content_type=MVT)


@ogc_view
@cached(layer_scope(by_language=True))
def tilejson(request, collection_id):
    """TileJSON 3.0 for a collection's vector tiles, as MapLibre and OpenLayers read it."""
    collection = _collection(collection_id)
    language = _language(request)
    template = _url(request, "ogc-tile", collection_id=collection.id, z=0, y=0, x=0).replace("/0/0/0", "/{z}/{y}/{x}")
    bbox = features.extents(collection).bbox
    kinds = {"string": "String", "integer": "Number", "number": "Number", "boolean": "Boolean", "datetime": "String"}
    return JsonResponse({
        "tilejson": "3.0.0", "name": collection.title(language), "description": collection.description(language), "scheme": "xyz",
        "tiles": [template], "minzoom": 0, "maxzoom": MAX_ZOOM, "bounds": bbox or [-180, -85.05, 180, 85.05],
        "vector_layers": [{"id": collection.id, "fields": {name: kinds[kind] for name, kind in collection.properties.items()}}],
    })


def _urls(request):
    return lambda name, **kwargs: _url(request, name, **kwargs)


def _tile_matrix_set_id(tms_id: str) -> None:
    if tms_id != TMS_ID:
        raise OgcError(404, "NotFound", f"no tile matrix set '{tms_id[:64]}'; offered: {TMS_ID} (see /ogc/tileMatrixSets)")


@ogc_view
@cached(layer_scope(by_language=True))
def tilesets(request, collection_id):
    """/collections/{id}/tiles: the collection's vector tilesets (one, in WebMercatorQuad)."""
    collection = _collection(collection_id)
    return JsonResponse(tilesets_module.tileset_list(_urls(request), collection, _language(request)))


@ogc_view
@cached(layer_scope(by_language=True))
def tileset(request, collection_id, tms_id):
    """/collections/{id}/tiles/WebMercatorQuad: the tileset's metadata, its tile URL template and limits."""
    collection = _collection(collection_id)
    _tile_matrix_set_id(tms_id)
    bbox = features.extents(collection).bbox
    return JsonResponse(tilesets_module.tileset(_urls(request), collection, _language(request), bbox))


@ogc_view
@cached(static_scope())
def tile_matrix_sets(request):
    return JsonResponse(tilesets_module.tile_matrix_sets(_urls(request)))


@ogc_view
@cached(static_scope())
def tile_matrix_set(request, tms_id):
    _tile_matrix_set_id(tms_id)
    return JsonResponse(tilesets_module.tile_matrix_set())
