"""OGC API – Features views: the collections, one collection, its queryables, its items (streamed) and one item."""
import json

from django.http import JsonResponse, StreamingHttpResponse
from django.utils.translation import gettext as _

from .. import features, registry
from ..downloads import FORMATS
from ..features import DEFAULT_LIMIT, MAX_LIMIT
from ..http_caching import cached
from . import crs as crs_module
from . import tilesets as tilesets_module
from .cql import parse, to_sql
from .errors import OgcError, bad
from .params import ITEM_PARAMETERS, parse_after, parse_bbox, parse_crs, parse_datetime_range, parse_int, parse_language
from .scopes import all_layers_scope, layer_scope, static_scope
from .views import absolute_url, get_collection, ogc_view, url_maker

GEOJSON = "application/geo+json"


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
            {"href": absolute_url(request, "ogc-collection", collection_id=collection.id), "rel": "self", "type": "application/json"},
            {"href": absolute_url(request, "ogc-items", collection_id=collection.id), "rel": "items", "type": GEOJSON},
            {"href": absolute_url(request, "ogc-queryables", collection_id=collection.id), "rel": "http://www.opengis.net/def/rel/ogc/1.0/queryables",
             "type": "application/schema+json"},
            {"href": absolute_url(request, "ogc-tilejson", collection_id=collection.id), "rel": "describedby", "type": "application/json",
             "title": "TileJSON of the vector tiles (WebMercatorQuad)"},
            *tilesets_module.collection_links(url_maker(request), collection),
            *[{"href": absolute_url(request, "ogc-download", collection_id=collection.id, format_name=download.name), "rel": "enclosure",
               "type": download.media_type.split(";")[0], "title": f"{collection.title(language)}: {download.title}"}
              for download in FORMATS.values()],
        ],
    }


@ogc_view
@cached(all_layers_scope(by_language=True))
def collections(request):
    language = parse_language(request)
    return JsonResponse({
        "links": [{"href": absolute_url(request, "ogc-collections"), "rel": "self", "type": "application/json"}],
        "collections": [_collection_json(request, c, language) for c in registry.all_collections()],
    })


@ogc_view
@cached(layer_scope(by_language=True))
def collection(request, collection_id):
    return JsonResponse(_collection_json(request, get_collection(collection_id), parse_language(request)))


@ogc_view
@cached(static_scope(by_language=True))
def queryables(request, collection_id):
    collection = get_collection(collection_id)
    language = parse_language(request)
    types = {"string": {"type": "string"}, "integer": {"type": "integer"}, "number": {"type": "number"},
             "boolean": {"type": "boolean"}, "datetime": {"type": "string", "format": "date-time"}}
    response = JsonResponse({
        "$schema": "https://json-schema.org/draft/2019-09/schema",
        "$id": absolute_url(request, "ogc-queryables", collection_id=collection.id),
        "type": "object", "title": collection.title(language),
        "properties": {
            "geometry": {"$ref": f"https://geojson.org/schema/{collection.geometry_type}.json"},
            **{name: {"title": name, **types[kind]} for name, kind in collection.properties.items()},
        },
        "additionalProperties": False,
    })
    response["Content-Type"] = "application/schema+json"
    return response


FEATURES_PER_PIECE = 500


@ogc_view
@cached(layer_scope())
def items(request, collection_id):
    """GeoJSON features built in SQL and streamed, with bbox, datetime, CRS and CQL2 filters; `next` links page by
    keyset (`after` the last id), `offset` still honoured; the count (kept per data version, see features.count)
    and the page come from the snapshot the ETag was made in."""
    collection = get_collection(collection_id)
    params = request.GET
    unknown = sorted(set(params) - ITEM_PARAMETERS - set(collection.properties))
    if unknown:
        raise bad(_("unknown parameter '%(name)s'; allowed: %(allowed)s and the queryables %(queryables)s")
                  % {"name": unknown[0][:40], "allowed": ", ".join(sorted(ITEM_PARAMETERS)),
                     "queryables": ", ".join(collection.properties)})
    if params.get("f", "json") not in ("json", "geojson"):
        raise bad(_("only json is offered"), parameter="f")
    limit = min(parse_int(params.get("limit"), "limit", DEFAULT_LIMIT, 1), MAX_LIMIT)
    offset = parse_int(params.get("offset"), "offset", 0, 0)
    output_crs = parse_crs(params.get("crs"), "crs")
    bbox_crs = parse_crs(params.get("bbox-crs"), "bbox-crs")
    datetime_range = parse_datetime_range(params.get("datetime"))
    if datetime_range is not None and not collection.datetime_column:
        raise bad(_("collection %(collection)s has no time") % {"collection": collection.id}, parameter="datetime")
    cql = None
    if params.get("filter"):
        language = params.get("filter-lang", "cql2-text")
        if language not in ("cql2-text", "cql2-json"):
            raise bad(_("cql2-text or cql2-json"), parameter="filter-lang")
        filter_crs = parse_crs(params.get("filter-crs"), "filter-crs")
        cql = to_sql(parse(params["filter"], language), collection, filter_srid=filter_crs.srid, text=params["filter"])
    equals = {name: params[name] for name in collection.properties if name in params}
    query = features.where_clause(collection, bbox=parse_bbox(params.get("bbox")), bbox_crs=bbox_crs,
                                  datetime_range=datetime_range, equals=equals, cql=cql)
    after = parse_after(params.get("after"), collection)
    filtered = bool(equals or cql or datetime_range or params.get("bbox"))
    matched = features.count(collection, query, filtered=filtered)
    rows = features.page(collection, query, output_crs, limit=limit + 1, offset=offset, after=after) \
        if matched is None or after is not None or offset < matched else []
    more, page = len(rows) > limit, [text for _, text in rows[:limit]]
    returned = len(page)
    base = absolute_url(request, "ogc-items", collection_id=collection.id)
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
    collection = get_collection(collection_id)
    unknown = sorted(set(request.GET) - {"crs", "f"})
    if unknown:
        raise bad(_("unknown parameter '%(name)s'; allowed: crs, f") % {"name": unknown[0][:40]})
    output_crs = parse_crs(request.GET.get("crs"), "crs")
    text = features.one(collection, feature_id, output_crs)
    if text is None:
        raise OgcError(404, "NotFound", _("collection %(collection)s has no feature '%(id)s'")
                       % {"collection": collection.id, "id": feature_id[:64]})
    feature = json.loads(text)
    feature["links"] = [
        {"href": request.build_absolute_uri(), "rel": "self", "type": GEOJSON},
        {"href": absolute_url(request, "ogc-collection", collection_id=collection.id), "rel": "collection", "type": "application/json"},
        *({"href": absolute_url(request, link.url_name, **{link.kwarg: feature_id}), "rel": link.rel,
           "type": link.media_type, "title": link.title}
          for link in registry.item_links(collection.id)),
    ]
    response = JsonResponse(feature, content_type=GEOJSON)
    response["Content-Crs"] = f"<{output_crs.uri}>"
    return response

