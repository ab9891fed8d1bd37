"""The reference geography API: districts as GeoJSON, and locating a point, with bad coordinates refused."""
import pytest

pytestmark = pytest.mark.django_db


def test_districts_are_a_geojson_feature_collection(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        response = client.get("/api/districts/")
    assert response.status_code == 200
    body = response.json()
    assert body["type"] == "FeatureCollection"
    assert [f["id"] for f in body["features"]] == ["D1", "D2", "D3", "D4", "D5", "D6"]
    first = body["features"][0]
    assert first["geometry"]["type"] == "MultiPolygon"
    assert first["properties"]["municipality"] == "9031"
    assert first["properties"]["name_el"].startswith("1η")


def test_district_detail_and_unknown_code(client):
    assert client.get("/api/districts/D3/").json()["properties"]["name_en"] == "3rd District – Ano Poli"
    assert client.get("/api/districts/D9/").status_code == 404


def test_municipalities_list_the_served_one_and_neighbours(client):
    codes = [f["id"] for f in client.get("/api/municipalities/").json()["features"]]
    assert codes == ["9031", "9032", "9033", "9035", "9036", "9037"]


def test_locate_inside_a_district(client):
    body = client.get("/api/locate/", {"lat": "40.6264", "lon": "22.9484"}).json()  # White Tower
    assert body["inside"] is True
    assert body["district"]["code"] == "D1"
    assert body["municipality"]["code"] == "9031"


def test_locate_accepts_open311_long(client):
    body = client.get("/api/locate/", {"lat": "40.6420", "long": "22.9560"}).json()
    assert body["district"]["code"] == "D3"


def test_locate_outside_names_the_neighbour(client):
    body = client.get("/api/locate/", {"lat": "40.585", "lon": "22.955"}).json()
    assert body["inside"] is False and body["district"] is None
    assert body["municipality"]["code"] == "9032"
    assert body["message"].startswith("outside the Municipality of Thessaloniki, in")


@pytest.mark.parametrize(
    "params, message",
    [
        ({"lon": "22.95"}, "lat: is required"),
        ({"lat": "40.6"}, "lon: is required"),
        ({"lat": "abc", "lon": "22.95"}, "lat: must be a number"),
        ({"lat": "40.6", "lon": "NaN"}, "lon: must be a finite number"),
        ({"lat": "inf", "lon": "22.95"}, "lat: must be a finite number"),
        ({"lat": "91", "lon": "22.95"}, "lat: must be between -90 and 90"),
        ({"lat": "40.6", "lon": "-180.5"}, "lon: must be between -180 and 180"),
    ],
)
def test_locate_bad_coordinates_get_400_naming_the_parameter(client, params, message):
    response = client.get("/api/locate/", params)
    assert response.status_code == 400
    assert response.json()["detail"].startswith(message)


def test_places_search_finds_a_street_by_its_greek_name_without_accents(client):
    body = client.get("/api/places/", {"q": "τσιμισκη"}).json()
    assert body["type"] == "FeatureCollection"
    first = body["features"][0]
    assert first["properties"]["name_en"] == "Tsimiski Street" and first["geometry"]["type"] == "Point"


def test_places_search_finds_a_landmark_in_latin_script(client):
    names = [f["properties"]["name_en"] for f in client.get("/api/places/", {"q": "white tower"}).json()["features"]]
    assert names[0] == "White Tower"


def test_places_in_a_box_are_only_those_inside_it(client):
    everything = client.get("/api/places/").json()["features"]
    box = client.get("/api/places/", {"bbox": "22.940,40.620,22.950,40.640"}).json()["features"]
    assert 0 < len(box) < len(everything)
    assert all(22.940 <= f["geometry"]["coordinates"][0] <= 22.950 and 40.620 <= f["geometry"]["coordinates"][1] <= 40.640
               for f in box)


@pytest.mark.parametrize(
    "params, message",
    [
        ({"q": "egnatia", "limit": "50"}, "limit: must be between 1 and 20"),
        ({"limit": "x"}, "limit: must be a whole number"),
        ({"bbox": "22.9,40.6"}, "bbox: needs 4 numbers"),
    ],
)
def test_places_bad_parameters_get_400_naming_the_parameter(client, params, message):
    response = client.get("/api/places/", params)
    assert response.status_code == 400 and response.json()["detail"].startswith(message)
