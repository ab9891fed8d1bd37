"""OGC API – Tiles over the collections' vector tiles: the tileset list and metadata a client follows from a
collection to a tile, the tile matrix sets from morecantile, the conformance classes, HTTP caching, the one
tile-range error, and GDAL's OGCAPI driver listing the zoom levels and reading features from tiles."""
import json
import subprocess
import sys

import mapbox_vector_tile
import morecantile
import pytest
from django.contrib.gis.geos import Polygon

from layers.models import District

pytestmark = pytest.mark.django_db
TILESETS_VECTOR = "http://www.opengis.net/def/rel/ogc/1.0/tilesets-vector"
TILING_SCHEME = "http://www.opengis.net/def/rel/ogc/1.0/tiling-scheme"
WEB_MERCATOR_QUAD = "http://www.opengis.net/def/tilematrixset/OGC/1.0/WebMercatorQuad"
MVT = "application/vnd.mapbox-vector-tile"
TMS = morecantile.tms.get("WebMercatorQuad")


def link(document, rel, media_type="application/json"):
    found = [item for item in document["links"] if item["rel"] == rel and item.get("type") == media_type]
    assert len(found) == 1, (rel, document["links"])
    return found[0]


def get(client, href, **headers):
    """GET an absolute link of a document (the test server's host) through the test client."""
    return client.get("/" + href.split("://", 1)[1].split("/", 1)[1], **headers)


def test_from_the_collection_to_a_tile_by_links_alone(client):
    collection = client.get("/ogc/collections/districts").json()
    tilesets = get(client, link(collection, TILESETS_VECTOR)["href"])
    assert tilesets.status_code == 200
    [tileset] = tilesets.json()["tilesets"]
    assert (tileset["dataType"], tileset["tileMatrixSetURI"]) == ("vector", WEB_MERCATOR_QUAD)
    metadata = get(client, link(tileset, "self")["href"]).json()
    assert metadata["dataType"] == "vector" and metadata["crs"] == "http://www.opengis.net/def/crs/EPSG/0/3857"
    assert get(client, link(metadata, TILING_SCHEME)["href"]).json()["id"] == "WebMercatorQuad"
    item = link(metadata, "item", MVT)
    assert item["templated"] is True
    tile = TMS.tile(22.95, 40.62, 11)  # the centre: all six districts
    href = item["href"].format(tileMatrix=11, tileRow=tile.y, tileCol=tile.x)
    response = get(client, href)
    assert response.status_code == 200 and response["Content-Type"] == MVT
    codes = {f["properties"]["code"] for f in mapbox_vector_tile.decode(response.content)["districts"]["features"]}
    assert codes == {"D1", "D2", "D3", "D4", "D5", "D6"}


def test_tileset_limits_hold_the_collections_tiles_and_no_more(client):
    metadata = client.get("/ogc/collections/districts/tiles/WebMercatorQuad").json()
    limits = {row["tileMatrix"]: row for row in metadata["tileMatrixSetLimits"]}
    assert sorted(limits, key=int) == [str(z) for z in range(23)]
    west, south, east, north = metadata["boundingBox"]["lowerLeft"] + metadata["boundingBox"]["upperRight"]
    for zoom in (0, 11, 16, 22):
        row = limits[str(zoom)]
        for lon, lat in ((west, north), (east, south), (22.95, 40.62)):
            tile = TMS.tile(lon, lat, zoom)
            assert row["minTileCol"] <= tile.x <= row["maxTileCol"] and row["minTileRow"] <= tile.y <= row["maxTileRow"]
    # a tile just outside the limits at zoom 16 holds no district
    outside = limits["16"]["maxTileCol"] + 1
    response = client.get(f"/ogc/collections/districts/tiles/WebMercatorQuad/16/{limits['16']['minTileRow']}/{outside}")
    assert response.status_code == 204
    layer = metadata["layers"][0]
    assert layer["id"] == "districts" and layer["propertiesSchema"]["properties"]["population"] == {"type": "integer"}


def test_point_collection_declares_its_dimension(client):
    layer = client.get("/ogc/collections/heritage-sites/tiles/WebMercatorQuad").json()["layers"][0]
    assert layer["geometryDimension"] == 0


def test_tile_matrix_sets_come_from_morecantile(client):
    listing = client.get("/ogc/tileMatrixSets").json()
    [entry] = listing["tileMatrixSets"]
    assert (entry["id"], entry["uri"]) == ("WebMercatorQuad", WEB_MERCATOR_QUAD)
    definition = get(client, link(entry, "self")["href"]).json()
    assert definition["crs"] == "http://www.opengis.net/def/crs/EPSG/0/3857"
    for matrix, expected in zip(definition["tileMatrices"], TMS.tileMatrices, strict=True):
        assert (matrix["id"], matrix["matrixWidth"], matrix["cellSize"]) == (expected.id, expected.matrixWidth, expected.cellSize)
        assert matrix["topLeftCorner"] == matrix["pointOfOrigin"]  # the TMS 1.0 name, for GDAL before 3.7


@pytest.mark.parametrize("path, message", [
    ("/ogc/tileMatrixSets/WorldCRS84Quad", "no tile matrix set 'WorldCRS84Quad'; offered: WebMercatorQuad"),
    ("/ogc/collections/districts/tiles/WorldCRS84Quad", "no tile matrix set 'WorldCRS84Quad'; offered: WebMercatorQuad"),
    ("/ogc/collections/castles/tiles", "no collection 'castles'"),
    ("/ogc/collections/castles/tiles/WebMercatorQuad", "no collection 'castles'"),
])
def test_unknown_tile_matrix_set_or_collection_is_404(client, path, message):
    response = client.get(path)
    assert response.status_code == 404 and message in response.json()["description"]


@pytest.mark.parametrize("z, x, y, message", [
    (23, 0, 0, "zoom 23 is outside 0 to 22 (WebMercatorQuad)"),
    (3, 8, 1, "tile column 8, row 1 does not exist at zoom 3: outside the matrix (columns and rows 0 to 7)"),
    (3, 1, 8, "tile column 1, row 8 does not exist at zoom 3: outside the matrix (columns and rows 0 to 7)"),
])
def test_one_range_error_for_vector_and_raster_tiles(client, z, x, y, message):
    vector = client.get(f"/ogc/collections/districts/tiles/WebMercatorQuad/{z}/{y}/{x}")
    raster = client.get(f"/api/hazards/urban-heat/tiles/{z}/{x}/{y}.png")
    assert vector.status_code == raster.status_code == 404
    assert vector.json()["description"] == raster.json()["detail"] == message


def test_conformance_and_landing_page_announce_tiles(client):
    classes = set(client.get("/ogc/conformance").json()["conformsTo"])
    for name in ("core", "tileset", "tilesets-list", "geodata-tilesets", "mvt", "oas30"):
        assert f"http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/{name}" in classes
    assert "http://www.opengis.net/spec/tms/2.0/conf/tilematrixset" in classes
    landing = client.get("/ogc/").json()
    assert get(client, link(landing, "http://www.opengis.net/def/rel/ogc/1.0/tiling-schemes")["href"]).status_code == 200


def test_tile_documents_are_in_the_openapi_document(client):
    paths = client.get("/ogc/api").json()["paths"]
    for path in ("/tileMatrixSets", "/tileMatrixSets/{tileMatrixSetId}", "/collections/districts/tiles",
                 "/collections/districts/tiles/{tileMatrixSetId}"):
        assert "200" in paths[path]["get"]["responses"], path


def test_tileset_metadata_is_cached_until_the_layer_changes(client):
    url = "/ogc/collections/districts/tiles/WebMercatorQuad"
    first = client.get(url)
    assert first["Cache-Control"].startswith("public, max-age=") and first["Last-Modified"]
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    listing = client.get("/ogc/collections/districts/tiles")
    assert client.get("/ogc/collections/districts/tiles", HTTP_IF_NONE_MATCH=listing["ETag"]).status_code == 304
    matrix_set = client.get("/ogc/tileMatrixSets/WebMercatorQuad")
    assert client.get("/ogc/tileMatrixSets/WebMercatorQuad", HTTP_IF_NONE_MATCH=matrix_set["ETag"]).status_code == 304
    # a district grows to the east: the extent, the limits and the ETag change
    district = District.objects.get(code="D1")
    district.geom = district.geom.union(Polygon.from_bbox((23.0, 40.60, 23.1, 40.65)))
    district.save()
    second = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert second.status_code == 200 and second["ETag"] != first["ETag"]
    assert second.json()["boundingBox"]["upperRight"][0] == pytest.approx(23.1)
    assert second.json()["tileMatrixSetLimits"] != first.json()["tileMatrixSetLimits"]


@pytest.mark.django_db(transaction=True)
def test_gdal_ogcapi_driver_lists_zoom_levels_and_reads_features_from_tiles(live_server):
    """GDAL's OGCAPI driver, through the GDAL that pyogrio ships (3.12). Debian 12's GDAL 3.6 builds the driver
    without its vector-tile part (fixed in GDAL 3.7.1), so its ogrinfo lists no tile layers from any server.
    GDAL lists the zoom levels whose tiles it can place from the collection's CRS84 extent (0 to 3 here)."""
    from tests.conftest import load_demo_data

    load_demo_data()  # a transactional test starts from an empty database
    # in a child process: GDAL's requests would otherwise wait on this process's server thread
    script = (
        "import json, sys, pyogrio\n"
        "url = sys.argv[1]\n"
        "layers = [name for name, _ in pyogrio.list_layers(url)]\n"
        "frame = pyogrio.read_dataframe(url, layer='Zoom level 3')\n"
        "print(json.dumps({'layers': layers, 'codes': sorted(frame['code']), 'epsg': frame.crs.to_epsg(),\n"
        "                  'geometries': int(frame.geometry.notna().sum())}))\n"
    )
    result = subprocess.run([sys.executable, "-c", script, f"OGCAPI:{live_server.url}/ogc/collections/districts"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    found = json.loads(result.stdout.strip().splitlines()[-1])
    assert "Zoom level 3" in found["layers"]
    assert found["codes"] == ["D1", "D2", "D3", "D4", "D5", "D6"]
    assert found["epsg"] == 3857 and found["geometries"] == 6
