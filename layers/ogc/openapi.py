"""The OpenAPI 3.0 document of the OGC API (served at /ogc/api, and merged under /ogc into /api/schema/):
every path, its parameters (the items' limit default and maximum, for QGIS), its answers and its errors."""
from ..downloads import FORMATS
from ..features import DEFAULT_LIMIT, MAX_LIMIT
from ..tile_grid import TMS_ID
from .tiles import MAX_ZOOM

OGC_PREFIX = "/ogc"

LINK = {"type": "object", "required": ["href", "rel"], "properties": {
    "href": {"type": "string"}, "rel": {"type": "string"}, "type": {"type": "string"}, "title": {"type": "string"}}}
LINKS = {"type": "array", "items": {"$ref": "#/components/schemas/OgcLink"}}
GEOMETRY = {"type": "object", "nullable": True, "required": ["type"], "properties": {"type": {"type": "string", "enum": [
    "Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon", "GeometryCollection"]}}}
FEATURE = {"type": "object", "required": ["type", "geometry", "properties"], "properties": {
    "type": {"type": "string", "enum": ["Feature"]},
    "id": {"oneOf": [{"type": "string"}, {"type": "integer"}]},
    "geometry": {"$ref": "#/components/schemas/OgcGeometry"},
    "properties": {"type": "object", "nullable": True},
    "links": LINKS}}
FEATURE_COLLECTION = {"type": "object", "required": ["type", "features"], "properties": {
    "type": {"type": "string", "enum": ["FeatureCollection"]},
    "features": {"type": "array", "items": {"$ref": "#/components/schemas/OgcFeature"}},
    "numberMatched": {"type": "integer", "minimum": 0},
    "numberReturned": {"type": "integer", "minimum": 0},
    "links": LINKS}}
EXCEPTION = {"type": "object", "required": ["code", "description", "error_code"], "properties": {
    "code": {"type": "string", "description": "the OGC exception code, e.g. InvalidParameterValue, NotFound"},
    "description": {"type": "string"},
    "error_code": {"type": "string", "description": "a stable machine code (invalid, invalid_filter, not_found, "
                                                    "tile_outside_matrix, unavailable, ...)"},
    "parameter": {"type": "string", "description": "the query parameter at fault, when one is"},
    "message": {"type": "string", "description": "with parameter: the description without the parameter's name"}}}
COLLECTION = {"type": "object", "required": ["id", "links"], "properties": {
    "id": {"type": "string"}, "title": {"type": "string"}, "description": {"type": "string"},
    "keywords": {"type": "array", "items": {"type": "string"}}, "itemType": {"type": "string"},
    "extent": {"type": "object"}, "crs": {"type": "array", "items": {"type": "string"}}, "storageCrs": {"type": "string"},
    "links": LINKS}}

SCHEMAS = {"OgcLink": LINK, "OgcGeometry": GEOMETRY, "OgcFeature": FEATURE, "OgcFeatureCollection": FEATURE_COLLECTION,
           "OgcException": EXCEPTION, "OgcCollection": COLLECTION}

PARAMETERS = {
    "limit": {"name": "limit", "in": "query", "required": False, "style": "form", "explode": False,
              "schema": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT}},
    "offset": {"name": "offset", "in": "query", "schema": {"type": "integer", "minimum": 0, "default": 0}},
    "after": {"name": "after", "in": "query", "required": False, "schema": {"type": "string", "maxLength": 200},
              "description": "features with an id greater than this (the `next` links use it: a keyset, as fast deep "
                             "in a collection as on its first page); the layer's id type (a whole number for most)"},
    "bbox": {"name": "bbox", "in": "query", "style": "form", "explode": False,
             "schema": {"type": "array", "minItems": 4, "maxItems": 6, "items": {"type": "number"}}},
    "bbox-crs": {"name": "bbox-crs", "in": "query", "schema": {"type": "string", "format": "uri"}},
    "crs": {"name": "crs", "in": "query", "schema": {"type": "string", "format": "uri"}},
    "datetime": {"name": "datetime", "in": "query", "schema": {"type": "string"}},
    "filter": {"name": "filter", "in": "query", "schema": {"type": "string"}},
    "filter-lang": {"name": "filter-lang", "in": "query", "schema": {"type": "string", "enum": ["cql2-text", "cql2-json"]}},
    "filter-crs": {"name": "filter-crs", "in": "query", "schema": {"type": "string", "format": "uri"}},
    "featureId": {"name": "featureId", "in": "path", "required": True, "schema": {"type": "string"}},
    "tileMatrix": {"name": "tileMatrix", "in": "path", "required": True,
                   "schema": {"type": "integer", "minimum": 0, "maximum": MAX_ZOOM}},
    "tileRow": {"name": "tileRow", "in": "path", "required": True, "schema": {"type": "integer", "minimum": 0}},
    "tileCol": {"name": "tileCol", "in": "path", "required": True, "schema": {"type": "integer", "minimum": 0}},
    "format": {"name": "format", "in": "path", "required": True, "schema": {"type": "string", "enum": list(FORMATS)}},
    "tileMatrixSetId": {"name": "tileMatrixSetId", "in": "path", "required": True,
                        "schema": {"type": "string", "enum": [TMS_ID]}},
}
TILESET_LIST = {"type": "object", "required": ["tilesets"], "properties": {
    "links": LINKS,
    "tilesets": {"type": "array", "items": {"type": "object", "required": ["dataType", "crs", "links"], "properties": {
        "title": {"type": "string"}, "dataType": {"type": "string", "enum": ["map", "vector", "coverage"]},
        "crs": {"type": "string"}, "tileMatrixSetURI": {"type": "string"}, "links": LINKS}}}}}
TILESET = {"type": "object", "required": ["dataType", "crs", "links"], "properties": {
    "title": {"type": "string"}, "description": {"type": "string"},
    "dataType": {"type": "string", "enum": ["map", "vector", "coverage"]}, "crs": {"type": "string"},
    "tileMatrixSetURI": {"type": "string"}, "links": LINKS,
    "tileMatrixSetLimits": {"type": "array", "items": {"type": "object", "required": [
        "tileMatrix", "minTileRow", "maxTileRow", "minTileCol", "maxTileCol"]}},
    "layers": {"type": "array", "items": {"type": "object", "required": ["id"]}},
    "boundingBox": {"type": "object"}}}
TILE_MATRIX_SETS = {"type": "object", "required": ["tileMatrixSets"], "properties": {
    "links": LINKS,
    "tileMatrixSets": {"type": "array", "items": {"type": "object", "required": ["links"], "properties": {
        "id": {"type": "string"}, "title": {"type": "string"}, "uri": {"type": "string"}, "links": LINKS}}}}}
TILE_MATRIX_SET = {"type": "object", "required": ["crs", "tileMatrices"], "properties": {
    "id": {"type": "string"}, "uri": {"type": "string"}, "crs": {"type": "string"},
    "tileMatrices": {"type": "array", "items": {"type": "object", "required": [
        "id", "scaleDenominator", "cellSize", "pointOfOrigin", "tileWidth", "tileHeight", "matrixWidth", "matrixHeight"]}}}}


def _json(schema: dict, description: str = "OK", media_type: str = "application/json") -> dict:
    return {"description": description, "content": {media_type: {"schema": schema}}}


ERRORS = {
    "400": _json({"$ref": "#/components/schemas/OgcException"}, "a parameter is wrong; the description names it"),
    "404": _json({"$ref": "#/components/schemas/OgcException"}, "no such resource"),
}
OBJECT = {"type": "object"}
RETRY_AFTER = {"Retry-After": {"description": "seconds to wait before asking again", "schema": {"type": "integer"}}}
OUT_OF_TIME = {"503": {**_json({"$ref": "#/components/schemas/OgcException"},
                               "the query needed more time than a public request is given: narrow it, or retry later"),
                       "headers": RETRY_AFTER}}
# each download format's media type (without parameters), GeoJSON read as JSON, the others as bytes
DOWNLOAD_CONTENT = {
    download.media_type.split(";")[0]: {"schema": {"$ref": "#/components/schemas/OgcFeatureCollection"}
                                        if download.media_type.startswith("application/geo+json")
                                        else {"type": "string", "format": "binary"}}
    for download in FORMATS.values()
}


def _get(operation_id: str, summary: str, ok: dict, parameters: tuple = (), **extra) -> dict:
    operation = {"summary": summary, "operationId": operation_id, "tags": ["ogc"],
                 "responses": {"200": ok, **extra, **ERRORS}}
    if parameters:
        operation["parameters"] = [{"$ref": f"#/components/parameters/{name}"} for name in parameters]
    return {"get": operation}


def ogc_openapi(collections, server_url: str | None = None) -> dict:
    """The document for these collections; server_url (the /ogc base) goes into `servers` when given."""
    landing = {"type": "object", "required": ["links"], "properties": {
        "title": {"type": "string"}, "description": {"type": "string"}, "links": LINKS}}
    conformance = {"type": "object", "required": ["conformsTo"],
                   "properties": {"conformsTo": {"type": "array", "items": {"type": "string"}}}}
    collection_list = {"type": "object", "required": ["links", "collections"], "properties": {
        "links": LINKS, "collections": {"type": "array", "items": {"$ref": "#/components/schemas/OgcCollection"}}}}
    paths = {
        "/": _get("getLandingPage", "Landing page", _json(landing)),
        "/api": _get("getOpenAPI", "This API definition",
                     _json(OBJECT, media_type="application/vnd.oai.openapi+json;version=3.0")),
        "/conformance": _get("getConformance", "Conformance classes", _json(conformance)),
        "/collections": _get("getCollections", "Collections", _json(collection_list)),
        "/catalogue.jsonld": _get("getCatalogue", "DCAT-AP catalogue of the datasets (JSON-LD)",
                                  _json(OBJECT, "JSON-LD", "application/ld+json")),
        "/tileMatrixSets": _get("getTileMatrixSetsList", "The tile matrix sets offered", _json(TILE_MATRIX_SETS)),
        "/tileMatrixSets/{tileMatrixSetId}": _get(
            "getTileMatrixSet", "A tile matrix set's definition (OGC TMS 2.0 JSON)", _json(TILE_MATRIX_SET),
            ("tileMatrixSetId",)),
    }
    for collection in collections:
        prefix = f"/collections/{collection.id}"
        paths[prefix] = _get(f"describe-{collection.id}", collection.title_en, _json({"$ref": "#/components/schemas/OgcCollection"}))
        paths[f"{prefix}/items"] = _get(
            f"items-{collection.id}", f"Features of {collection.title_en}",
            _json({"$ref": "#/components/schemas/OgcFeatureCollection"}, "GeoJSON", "application/geo+json"),
            ("limit", "offset", "after", "bbox", "bbox-crs", "crs", "datetime", "filter", "filter-lang", "filter-crs"), **OUT_OF_TIME)
        paths[f"{prefix}/items/{{featureId}}"] = _get(
            f"item-{collection.id}", f"One feature of {collection.title_en}",
            _json({"$ref": "#/components/schemas/OgcFeature"}, "GeoJSON", "application/geo+json"), ("featureId", "crs"))
        paths[f"{prefix}/queryables"] = _get(
            f"queryables-{collection.id}", f"Queryables of {collection.title_en}",
            _json(OBJECT, "JSON Schema of the queryable properties", "application/schema+json"))
        paths[f"{prefix}/tiles/WebMercatorQuad/{{tileMatrix}}/{{tileRow}}/{{tileCol}}"] = _get(
            f"tile-{collection.id}", f"A vector tile of {collection.title_en}",
            _json({"type": "string", "format": "binary"}, "Mapbox Vector Tile", "application/vnd.mapbox-vector-tile"),
            ("tileMatrix", "tileRow", "tileCol"), **{"204": {"description": "no feature in this tile"}})
        paths[f"{prefix}/tiles"] = _get(
            f"tilesets-{collection.id}", f"Vector tilesets of {collection.title_en}", _json(TILESET_LIST))
        paths[f"{prefix}/tiles/{{tileMatrixSetId}}"] = _get(
            f"tileset-{collection.id}", f"Tileset metadata of {collection.title_en}", _json(TILESET), ("tileMatrixSetId",))
        paths[f"{prefix}/tiles/WebMercatorQuad/tilejson.json"] = _get(
            f"tilejson-{collection.id}", f"TileJSON of {collection.title_en}",
            _json({"type": "object", "required": ["tilejson", "tiles"]}))
        paths[f"{prefix}/download/{{format}}"] = _get(
            f"download-{collection.id}", f"{collection.title_en} as a file (public fields only)",
            {"description": "the file, as an attachment. While a newer file is being written, the newest finished one "
                            "is served with its own ETag and Last-Modified and the header X-Newer-Version",
             "content": DOWNLOAD_CONTENT, "headers": {"X-Newer-Version": {
                 "description": "present when a newer file is being written: `preparing; retry-after=<seconds>`",
                 "schema": {"type": "string"}}}},
            ("format",), **{"503": {**_json({"$ref": "#/components/schemas/OgcException"},
                                            "no file is written yet for this layer and format: a job is writing it "
                                            "(GeoJSON is streamed at once)"), "headers": RETRY_AFTER}})
    document = {
        "openapi": "3.0.3",
        "info": {"title": "Thessaloniki GIS portal – OGC API Features and Tiles", "version": "1.0.0"},
        "paths": paths,
        "components": {"parameters": PARAMETERS, "schemas": SCHEMAS},
    }
    if server_url:
        document["servers"] = [{"url": server_url}]
    return document
