"""OGC API – Tiles documents over the collections' vector tiles: the tile matrix sets (from morecantile), each
collection's tileset list and its WebMercatorQuad tileset metadata (OGC Two Dimensional Tile Matrix Set and
Tileset Metadata 2.0, JSON), as GDAL's OGCAPI driver and other clients read them.

Each builder takes a `url(name, **kwargs)` that makes absolute URLs, so the documents follow the host asked."""
from collections.abc import Callable

from ..registry import Collection
from ..tile_grid import CRS_URI, MAX_ZOOM, MIN_ZOOM, TMS, TMS_ID, TMS_URI, limits

MVT = "application/vnd.mapbox-vector-tile"
JSON = "application/json"
CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
REL_TILESETS_VECTOR = "http://www.opengis.net/def/rel/ogc/1.0/tilesets-vector"
REL_TILING_SCHEME = "http://www.opengis.net/def/rel/ogc/1.0/tiling-scheme"
REL_TILING_SCHEMES = "http://www.opengis.net/def/rel/ogc/1.0/tiling-schemes"
CONFORMANCE = [
    "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/tileset",
    "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/tilesets-list",
    "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/geodata-tilesets",
    "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/oas30",
    "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/mvt",
    "http://www.opengis.net/spec/tms/2.0/conf/tilematrixset",
    "http://www.opengis.net/spec/tms/2.0/conf/json-tilematrixset",
    "http://www.opengis.net/spec/tms/2.0/conf/tilesetmetadata",
    "http://www.opengis.net/spec/tms/2.0/conf/json-tilesetmetadata",
    "http://www.opengis.net/spec/tms/2.0/conf/tilematrixsetlimits",
]
# the geometry's dimension (0 points, 1 lines, 2 areas) and GDAL's vectorType, by the registry's geometry type
DIMENSIONS = {"Point": 0, "MultiPoint": 0, "LineString": 1, "MultiLineString": 1, "Polygon": 2, "MultiPolygon": 2}
VECTOR_TYPES = {0: "Points", 1: "Lines", 2: "Polygons"}
PROPERTY_TYPES = {"string": {"type": "string"}, "integer": {"type": "integer"}, "number": {"type": "number"},
                  "boolean": {"type": "boolean"}, "datetime": {"type": "string", "format": "date-time"}}

Url = Callable[..., str]


def tile_template(url: Url, collection: Collection) -> str:
    """The templated URL of the collection's tiles: .../tiles/WebMercatorQuad/{tileMatrix}/{tileRow}/{tileCol}."""
    return url("ogc-tile", collection_id=collection.id, z=0, y=0, x=0).removesuffix("/0/0/0") + \
        "/{tileMatrix}/{tileRow}/{tileCol}"


def vector_type(collection: Collection) -> str | None:
    """GDAL's hint of the collection's geometry (Points, Lines, Polygons), None for a mixed one."""
    dimension = DIMENSIONS.get(collection.geometry_type)
    return VECTOR_TYPES.get(dimension) if dimension is not None else None


def collection_links(url: Url, collection: Collection) -> list[dict]:
    """The links a collection document adds for its tiles."""
    return [{"href": url("ogc-tilesets", collection_id=collection.id), "rel": REL_TILESETS_VECTOR, "type": JSON,
             "title": "vector tilesets (Mapbox Vector Tiles)"}]


def _tiling_scheme(url: Url) -> dict:
    return {"href": url("ogc-tilematrixset", tms_id=TMS_ID), "rel": REL_TILING_SCHEME, "type": JSON,
            "title": f"the {TMS_ID} tile matrix set"}


def tileset_list(url: Url, collection: Collection, language: str) -> dict:
    """/collections/{id}/tiles: the collection's one tileset (vector, WebMercatorQuad)."""
    return {
        "links": [{"href": url("ogc-tilesets", collection_id=collection.id), "rel": "self", "type": JSON}],
        "tilesets": [{
            "title": f"{collection.title(language)} ({TMS_ID})",
            "dataType": "vector", "crs": CRS_URI, "tileMatrixSetURI": TMS_URI,
            "links": [
                {"href": url("ogc-tileset", collection_id=collection.id, tms_id=TMS_ID), "rel": "self", "type": JSON,
                 "title": "the tileset's metadata"},
                _tiling_scheme(url),
            ],
        }],
    }


def tileset(url: Url, collection: Collection, language: str, bbox: list[float] | None) -> dict:
    """/collections/{id}/tiles/WebMercatorQuad: the tileset's metadata, its tile URL template, the tiles holding
    the collection's extent at each zoom (tileMatrixSetLimits) and its one layer with its properties."""
    layer = {
        "id": collection.id, "title": collection.title(language), "description": collection.description(language),
        "dataType": "vector", "minTileMatrix": str(MIN_ZOOM), "maxTileMatrix": str(MAX_ZOOM),
        "propertiesSchema": {"type": "object", "properties": {
            name: PROPERTY_TYPES[kind] for name, kind in collection.properties.items()}},
    }
    dimension = DIMENSIONS.get(collection.geometry_type)
    if dimension is not None:
        layer["geometryDimension"] = dimension
    document = {
        "title": collection.title(language), "description": collection.description(language),
        "dataType": "vector", "crs": CRS_URI, "tileMatrixSetURI": TMS_URI,
        "links": [
            {"href": url("ogc-tileset", collection_id=collection.id, tms_id=TMS_ID), "rel": "self", "type": JSON},
            _tiling_scheme(url),
            {"href": url("ogc-collection", collection_id=collection.id), "rel": "collection", "type": JSON,
             "title": "the collection"},
            {"href": tile_template(url, collection), "rel": "item", "type": MVT, "templated": True,
             "title": "a tile (Mapbox Vector Tile; an empty tile is 204)"},
            {"href": url("ogc-tilejson", collection_id=collection.id), "rel": "alternate", "type": JSON,
             "title": "TileJSON 3.0"},
        ],
        "tileMatrixSetLimits": [
            {"tileMatrix": str(row.zoom), "minTileRow": row.min_row, "maxTileRow": row.max_row,
             "minTileCol": row.min_col, "maxTileCol": row.max_col}
            for row in limits(bbox)
        ],
        "layers": [layer],
    }
    if bbox:
        document["boundingBox"] = {"lowerLeft": bbox[:2], "upperRight": bbox[2:], "crs": CRS84}
    return document


def tile_matrix_sets(url: Url) -> dict:
    """/tileMatrixSets: the one set offered."""
    return {
        "links": [{"href": url("ogc-tilematrixsets"), "rel": "self", "type": JSON}],
        "tileMatrixSets": [{"id": TMS_ID, "title": TMS.title, "uri": TMS_URI,
                            "links": [{"href": url("ogc-tilematrixset", tms_id=TMS_ID), "rel": "self", "type": JSON,
                                       "title": f"the {TMS_ID} definition"}]}],
    }


def tile_matrix_set() -> dict:
    """/tileMatrixSets/WebMercatorQuad: morecantile's definition (OGC TMS 2.0 JSON), with the TMS 1.0 names
    beside the 2.0 ones (identifier, supportedCRS, boundingBox, topLeftCorner), which GDAL before 3.7 reads."""
    document = TMS.model_dump(exclude_none=True, mode="json")
    west, south, east, north = TMS.xy_bbox
    document.update(identifier=document["id"], supportedCRS=document["crs"],
                    boundingBox={"crs": document["crs"], "lowerCorner": [west, south], "upperCorner": [east, north]})
    for matrix in document["tileMatrices"]:
        matrix.update(identifier=matrix["id"], topLeftCorner=matrix["pointOfOrigin"])
    return document
