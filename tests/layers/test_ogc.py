"""OGC API – Features: core, paging to the end, CRS round trips, CQL2 filters (and an injection attempt),
privacy of public issues, errors, and GDAL's OAPIF driver reading every collection."""
import json
import shutil
import subprocess
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.gis.geos import Point
from django.db import connection

from issues.models import Category
from issues.services.reporting import issue_report
from issues.services.submission import Reporter
from layers.models import District, HeritageSite

pytestmark = pytest.mark.django_db
COLLECTIONS = ["districts", "hazard-zones", "heritage-routes", "heritage-sites", "open-issues",
               "participation-implementation", "participation-meetings", "participation-projects", "participation-proposals", "public-issues",
               "service-points"]


def items(client, collection, **params):
    response = client.get(f"/ogc/collections/{collection}/items", params)
    body = json.loads(b"".join(response.streaming_content)) if response.streaming else response.json()
    return response, body


def test_landing_page_links_that_qgis_and_gdal_need(client):
    links = {link["rel"]: link for link in client.get("/ogc/").json()["links"]}
    assert links["service-desc"]["type"] == "application/vnd.oai.openapi+json;version=3.0"
    assert links["data"]["href"].endswith("/ogc/collections") and links["conformance"]["href"].endswith("/ogc/conformance")


def test_conformance_declares_the_classes_qgis_looks_for(client):
    classes = set(client.get("/ogc/conformance").json()["conformsTo"])
    for needed in ["http://www.opengis.net/spec/cql2/1.0/conf/basic-cql2",
                   "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter",
                   "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/features-filter",
                   "http://www.opengis.net/spec/cql2/1.0/conf/cql2-text",
                   "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs",
                   "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson"]:
        assert needed in classes


def test_openapi_declares_the_limit_default_and_maximum(client):
    response = client.get("/ogc/api")
    assert response["Content-Type"] == "application/vnd.oai.openapi+json;version=3.0"
    limit = response.json()["components"]["parameters"]["limit"]["schema"]
    assert (limit["default"], limit["maximum"]) == (100, 10000)


def test_collections_list_every_layer_with_extent_and_items_link(client):
    body = client.get("/ogc/collections").json()
    assert [c["id"] for c in body["collections"]] == COLLECTIONS
    districts = body["collections"][0]
    assert districts["extent"]["spatial"]["bbox"][0] == pytest.approx([22.8999, 40.5875, 22.9878, 40.6528], abs=1e-3)
    assert any(link["rel"] == "items" and link["type"] == "application/geo+json" for link in districts["links"])
    assert client.get("/ogc/collections/castles").status_code == 404


def test_items_are_geojson_with_exact_number_matched(client):
    response, body = items(client, "heritage-sites")
    assert response["Content-Type"] == "application/geo+json"
    assert body["type"] == "FeatureCollection" and body["numberMatched"] == HeritageSite.objects.count() == body["numberReturned"]
    feature = body["features"][0]
    assert feature["geometry"]["type"] == "Point" and set(feature["properties"]) >= {"name_el", "name_en", "kind"}


def test_paging_to_the_end_with_next_links_sums_to_number_matched(client):
    seen, url = [], "/ogc/collections/heritage-sites/items?limit=5"
    while url:
        parts = urlsplit(url)
        response, body = items(client, "heritage-sites", **{k: v[0] for k, v in parse_qs(parts.query).items()})
        seen.extend(f["id"] for f in body["features"])
        url = next((link["href"] for link in body["links"] if link["rel"] == "next"), None)
    assert len(seen) == len(set(seen)) == body["numberMatched"] == 21


def test_a_page_at_an_offset_is_that_slice_of_the_whole_list_in_order(client):
    _, whole = items(client, "heritage-sites", limit=100)
    _, page = items(client, "heritage-sites", limit=4, offset=7)
    ids = [f["id"] for f in whole["features"]]
    assert ids == sorted(ids) and len(ids) == 21
    assert page["features"] == whole["features"][7:11]


def test_limit_is_clamped_not_refused(client):
    response, body = items(client, "heritage-sites", limit=50000)
    assert response.status_code == 200 and body["numberReturned"] == 21


@pytest.mark.parametrize("params, message", [
    ({"colour": "red"}, "unknown parameter 'colour'"),
    ({"limit": "0"}, "limit: must be 1 or more"),
    ({"limit": "many"}, "limit: must be a whole number"),
    ({"bbox": "1,2,3"}, "bbox: needs 4 or 6 numbers"),
    ({"bbox": "23,41,22,40"}, "bbox: the lower corner must come first"),
    ({"crs": "EPSG:9999"}, "crs: unsupported CRS"),
    ({"datetime": "2026-01-01/2026-02-01"}, "datetime: collection heritage-sites has no time"),
    ({"filter-lang": "ecql", "filter": "kind = 'church'"}, "filter-lang: cql2-text or cql2-json"),
])
def test_items_bad_parameters_are_400(client, params, message):
    response = client.get("/ogc/collections/heritage-sites/items", params)
    assert response.status_code == 400 and response.json()["description"].startswith(message)


def test_bbox_and_bbox_crs_in_latitude_longitude_order(client):
    _, crs84 = items(client, "heritage-sites", bbox="22.945,40.630,22.950,40.635")
    _, lat_lon = items(client, "heritage-sites", bbox="40.630,22.945,40.635,22.950",
                       **{"bbox-crs": "http://www.opengis.net/def/crs/EPSG/0/4326"})
    names = sorted(f["id"] for f in crs84["features"])
    assert names and names == sorted(f["id"] for f in lat_lon["features"])
    assert "hagia-sophia" in names


def test_crs_round_trip_of_a_known_point_in_the_greek_grid(client):
    with connection.cursor() as cursor:
        cursor.execute("SELECT ST_X(g), ST_Y(g) FROM ST_Transform(ST_SetSRID(ST_MakePoint(22.948426, 40.626457), 4326), 2100) AS g")
        expected = cursor.fetchone()
    response = client.get("/ogc/collections/heritage-sites/items/white-tower", {"crs": "http://www.opengis.net/def/crs/EPSG/0/2100"})
    assert response["Content-Crs"] == "<http://www.opengis.net/def/crs/EPSG/0/2100>"
    x, y = response.json()["geometry"]["coordinates"]
    assert (x, y) == pytest.approx(expected, abs=0.01) and 400_000 < x < 420_000
    lat_lon = client.get("/ogc/collections/heritage-sites/items/white-tower", {"crs": "EPSG:4326"}).json()
    assert lat_lon["geometry"]["coordinates"] == [40.626457, 22.948426]
    mercator = client.get("/ogc/collections/heritage-sites/items/white-tower", {"crs": "EPSG:3857"}).json()
    assert mercator["geometry"]["coordinates"][0] == pytest.approx(2_554_600, abs=200)


def test_one_item_and_404(client):
    body = client.get("/ogc/collections/districts/items/D3").json()
    assert body["id"] == "D3" and body["properties"]["name_en"] == "3rd District – Ano Poli"
    response = client.get("/ogc/collections/districts/items/D9")
    assert response.status_code == 404 and response.json()["code"] == "NotFound"


@pytest.mark.parametrize("language, text, expected", [
    ("cql2-text", "kind = 'museum'", {"archaeological-museum", "museum-byzantine-culture"}),
    ("cql2-text", "name_en LIKE 'Hagia%'", {"hagia-sophia", "hagia-aikaterini"}),
    ("cql2-text", "kind IN ('museum', 'archaeological_site')", {"archaeological-museum", "museum-byzantine-culture", "roman-forum"}),
    ("cql2-text", "unesco_component = false AND NOT kind = 'museum'", {"white-tower", "arch-of-galerius", "roman-forum"}),
    ("cql2-text", "S_WITHIN(geometry, POLYGON((22.946 40.626, 22.950 40.626, 22.950 40.627, 22.946 40.627, 22.946 40.626)))",
     {"white-tower"}),
    ("cql2-text", "S_INTERSECTS(geometry, BBOX(22.9460, 40.6320, 22.9475, 40.6335))", {"hagia-sophia"}),
    ("cql2-json", json.dumps({"op": "and", "args": [{"op": "=", "args": [{"property": "kind"}, "fortification"]},
                                                    {"op": "=", "args": [{"property": "unesco_component"}, True]}]}),
     {"city-walls", "heptapyrgion"}),
])
def test_cql2_filters(client, language, text, expected):
    response, body = items(client, "heritage-sites", filter=text, **{"filter-lang": language})
    assert response.status_code == 200, body
    assert {f["id"] for f in body["features"]} == expected and body["numberMatched"] == len(expected)


def test_cql2_between_on_public_issues(client):
    category = Category.objects.get(service_code="pothole")
    for lon in (22.944, 22.945, 22.946):
        issue_report(category=category, point=Point(lon, 40.634, srid=4326), actor="t")
    _, body = items(client, "public-issues", filter="priority BETWEEN 2 AND 3 AND service_code = 'pothole'")
    assert body["numberMatched"] == 3


def test_cql2_unknown_property_and_parse_error_give_the_position(client):
    response = client.get("/ogc/collections/heritage-sites/items", {"filter": "kind = 'church' AND colour = 'red'"})
    assert response.status_code == 400
    assert response.json()["description"].startswith("filter: 'colour' at position 21 is not a queryable")
    response = client.get("/ogc/collections/heritage-sites/items", {"filter": "kind = "})
    assert response.status_code == 400 and "at line 1, column" in response.json()["description"]


def test_cql2_injection_attempt_is_only_ever_a_bound_value(client):
    attack = "name_en = 'x''; DROP TABLE layers_district; --'"  # a doubled quote is a quote inside the value
    _, body = items(client, "heritage-sites", filter=attack)
    assert body["numberMatched"] == 0
    _, body = items(client, "heritage-sites", filter="name_en = 'x; DROP TABLE layers_district; --'")
    assert body["numberMatched"] == 0
    assert District.objects.count() == 6


def test_queryables_and_equality_query_parameters(client):
    schema = client.get("/ogc/collections/heritage-sites/queryables")
    assert schema["Content-Type"] == "application/schema+json"
    assert schema.json()["properties"]["unesco_component"] == {"title": "unesco_component", "type": "boolean"}
    _, body = items(client, "heritage-sites", kind="museum")
    assert body["numberMatched"] == 2


def test_public_issues_have_privacy_safe_fields_and_a_datetime(client):
    category = Category.objects.get(service_code="pothole")
    issue_report(category=category, point=Point(22.944, 40.634, srid=4326), actor="t",
                 reporter=Reporter(email="maria@example.org", first_name="Maria", phone="+302310000000"),
                 description="hole")
    response, body = items(client, "public-issues", datetime="2020-01-01T00:00:00Z/..")
    text = json.dumps(body)
    assert body["numberMatched"] == 1 and body["features"][0]["properties"]["district"] == "D1"
    for private in ("maria@example.org", "Maria", "+302310000000", "email", "phone"):
        assert private not in text
    _, old = items(client, "public-issues", datetime="../2020-01-01T00:00:00Z")
    assert old["numberMatched"] == 0


def test_unknown_ogc_path_is_json_404(client):
    response = client.get("/ogc/nothing/here")
    assert response.status_code == 404 and response.json()["code"] == "NotFound"


@pytest.mark.skipif(shutil.which("ogrinfo") is None, reason="GDAL's ogrinfo is installed by `make test` (gdal-bin)")
@pytest.mark.django_db(transaction=True)
def test_gdal_reads_every_collection_through_its_oapif_driver(live_server):
    from django.test import Client

    from tests.conftest import load_demo_data

    load_demo_data()  # a transactional test starts from an empty database
    issue_report(category=Category.objects.get(service_code="pothole"), point=Point(22.944, 40.634, srid=4326), actor="t")
    client = Client()
    for collection in COLLECTIONS:
        _, body = items(client, collection, limit=1)
        result = subprocess.run(["ogrinfo", "-ro", "-so", "-al", f"OAPIF:{live_server.url}/ogc", collection],
                                capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr
        assert f"Feature Count: {body['numberMatched']}" in result.stdout, result.stdout[-1500:]


# --- vector tiles ----------------------------------------------------------------------------


def tile_xy(lon, lat, z):
    import math

    n = 2 ** z
    return int((lon + 180) / 360 * n), int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)


def test_vector_tile_decodes_to_the_expected_features(client):
    import mapbox_vector_tile

    x, y = tile_xy(22.95, 40.63, 12)  # one tile holds the whole historic centre
    response = client.get(f"/ogc/collections/heritage-sites/tiles/WebMercatorQuad/12/{y}/{x}")
    assert response.status_code == 200 and response["Content-Type"] == "application/vnd.mapbox-vector-tile"
    decoded = mapbox_vector_tile.decode(response.content)
    layer = decoded["heritage-sites"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM layers_heritagesite WHERE geom && ST_Transform(ST_TileEnvelope(12, %s, %s), 4326)", [x, y])
        expected = cursor.fetchone()[0]
    assert len(layer["features"]) == expected > 10
    names = {f["properties"]["name_en"] for f in layer["features"]}
    assert "Rotunda" in names


def test_vector_tile_of_polygons_and_an_empty_tile(client):
    import mapbox_vector_tile

    x, y = tile_xy(22.95, 40.62, 11)
    districts = mapbox_vector_tile.decode(client.get(f"/ogc/collections/districts/tiles/WebMercatorQuad/11/{y}/{x}").content)
    assert {f["properties"]["code"] for f in districts["districts"]["features"]} == {"D1", "D2", "D3", "D4", "D5", "D6"}
    assert client.get("/ogc/collections/districts/tiles/WebMercatorQuad/10/100/100").status_code == 204


@pytest.mark.parametrize("path, message", [
    ("/ogc/collections/districts/tiles/WebMercatorQuad/3/9/1", "outside the matrix"),
    ("/ogc/collections/districts/tiles/WebMercatorQuad/25/0/0", "zoom 25 is outside"),
    ("/ogc/collections/castles/tiles/WebMercatorQuad/3/1/1", "no collection 'castles'"),
])
def test_vector_tile_outside_the_matrix_is_404(client, path, message):
    response = client.get(path)
    assert response.status_code == 404 and message in response.json()["description"]


def test_tilejson(client):
    body = client.get("/ogc/collections/service-points/tiles/WebMercatorQuad/tilejson.json").json()
    assert body["tilejson"] == "3.0.0" and body["tiles"][0].endswith("/ogc/collections/service-points/tiles/WebMercatorQuad/{z}/{y}/{x}")
    assert body["vector_layers"][0]["fields"]["opening_hours"] == "String"


# --- the refusals' language -------------------------------------------------------------------------------------

def test_a_wrong_ogc_parameter_is_refused_in_greek_with_accept_language_el(client):
    response = client.get("/ogc/collections/heritage-sites/items", {"limit": "abc"}, HTTP_ACCEPT_LANGUAGE="el")
    assert response.status_code == 400
    assert response.json() == {"code": "InvalidParameterValue", "description": "limit: πρέπει να είναι ακέραιος αριθμός, δόθηκε 'abc'",
                               "error_code": "invalid", "parameter": "limit",
                               "message": "πρέπει να είναι ακέραιος αριθμός, δόθηκε 'abc'"}


def test_a_wrong_ogc_parameter_is_refused_in_english_without_a_language(client):
    response = client.get("/ogc/collections/heritage-sites/items", {"limit": "abc"})
    assert response.status_code == 400
    assert response.json()["description"] == "limit: must be a whole number, got 'abc'"
    assert response.json()["error_code"] == "invalid" and response.json()["parameter"] == "limit"


def test_a_cql2_filter_naming_an_unknown_property_is_refused_in_greek(client):
    response = client.get("/ogc/collections/heritage-sites/items", {"filter": "nosuch = 1"}, HTTP_ACCEPT_LANGUAGE="el")
    body = response.json()
    assert response.status_code == 400 and body["error_code"] == "invalid_filter" and body["parameter"] == "filter"
    assert body["message"].startswith("'nosuch' στη θέση 1: δεν είναι ιδιότητα αναζήτησης της συλλογής heritage-sites")


def test_a_cql2_filter_naming_an_unknown_property_is_refused_in_english_without_a_language(client):
    body = client.get("/ogc/collections/heritage-sites/items", {"filter": "nosuch = 1"}).json()
    assert body["error_code"] == "invalid_filter" and body["parameter"] == "filter"
    assert body["message"].startswith("'nosuch' at position 1 is not a queryable of heritage-sites")


def test_a_cql2_type_mismatch_names_the_kinds_in_greek(client):
    response = client.get("/ogc/collections/heritage-sites/items", {"filter": "name_el = 3"}, HTTP_ACCEPT_LANGUAGE="el")
    assert response.status_code == 400
    assert response.json()["message"] == "'name_el' στη θέση 1: είναι κείμενο, ενώ αυτό με το οποίο συγκρίνεται είναι αριθμός"


def test_an_unknown_ogc_collection_is_refused_in_greek(client):
    response = client.get("/ogc/collections/nowhere/items", HTTP_ACCEPT_LANGUAGE="el")
    assert response.status_code == 404 and response.json()["code"] == "NotFound"
    assert response.json()["description"] == "δεν υπάρχει συλλογή 'nowhere'· δείτε το /ogc/collections"
