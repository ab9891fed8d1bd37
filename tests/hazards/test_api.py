"""The hazard API: the profile, area and district endpoints, and each bad input."""
import json

import pytest

from layers.models import District

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("params, status, message", [
    ({"lat": "abc", "lon": "22.9"}, 400, "lat: must be a number"),
    ({"lat": "40.6"}, 400, "lon: is required"),
    ({"lat": "40.6", "lon": "22.9", "layer": "tsunami"}, 404, "layer: no hazard layer 'tsunami'"),
])
def test_profile_bad_input(client, params, status, message):
    response = client.get("/api/hazards/profile", params)
    assert response.status_code == status and response.json()["detail"].startswith(message)


def test_area_for_a_district_and_a_posted_polygon(client):
    by_district = client.get("/api/hazards/area", {"district": "D2", "layer": "flood-t100,pga-475"}).json()
    assert by_district["district"] == "D2" and [e["layer"] for e in by_district["layers"]] == ["pga-475", "flood-t100"]
    flood = by_district["layers"][1]
    assert 0 < flood["level_shares"]["high"] < flood["coverage"] <= 1
    geometry = json.loads(District.objects.get(code="D2").geom.json)
    posted = client.post("/api/hazards/area?layer=flood-t100", {"type": "Feature", "geometry": geometry}, content_type="application/json").json()
    assert posted["layers"][0]["level_shares"] == pytest.approx(flood["level_shares"], abs=1e-4)


@pytest.mark.parametrize("body, status, message", [
    ({"type": "Point", "coordinates": [22.9, 40.6]}, 400, "geometry: a Point is not accepted; send one of Polygon, MultiPolygon"),
    ({"type": "Polygon", "coordinates": [[[22.90, 40.60], [22.95, 40.65], [22.95, 40.60], [22.90, 40.65], [22.90, 40.60]]]},
     400, "geometry: the Polygon is not valid: Self-intersection"),
    ({"type": "Polygon", "coordinates": [[[20, 38], [25, 38], [25, 42], [20, 42], [20, 38]]]}, 400, "geometry: the area is"),
    ({"type": "Polygon", "coordinates": [[[1]]]}, 400, "geometry: the Polygon cannot be read"),
    ({"type": "Feature", "properties": {}}, 400, "geometry: send a GeoJSON geometry with 'type' and 'coordinates'"),
], ids=["wrong type", "invalid geometry", "too large an area", "unreadable coordinates", "feature without a geometry"])
def test_area_bad_polygons(client, body, status, message):
    response = client.post("/api/hazards/area", body, content_type="application/json")
    assert response.status_code == status and response.json()["detail"].startswith(message), response.content


@pytest.mark.parametrize("body, code", [({"geometry": None}, "required"), ({"geometry": {}}, "required"),
                                        ({"geometry": 42}, "invalid")],
                         ids=["null geometry", "empty geometry", "geometry that is a number"])
def test_area_body_without_a_geometry_is_400_naming_it(client, body, code):
    response = client.post("/api/hazards/area", body, content_type="application/json")
    assert response.status_code == 400
    assert (response.json()["parameter"], response.json()["code"]) == ("geometry", code), response.content


def test_area_polygon_over_the_vertex_cap_is_400_naming_the_geometry(client, settings):
    circle = District.objects.get(code="D2").geom.centroid.buffer(0.002, quadsegs=settings.GEOMETRY_MAX_VERTICES // 4)
    assert circle.num_coords > settings.GEOMETRY_MAX_VERTICES
    response = client.post("/api/hazards/area", json.loads(circle.json), content_type="application/json")
    assert response.status_code == 400
    assert response.json()["detail"] == (f"geometry: {circle.num_coords} positions; at most "
                                         f"{settings.GEOMETRY_MAX_VERTICES}, simplify the drawing")


def test_area_polygon_in_another_crs_is_400_naming_the_geometry(client):
    greek_grid = {"type": "Polygon", "crs": {"type": "name", "properties": {"name": "EPSG:2100"}},
                  "coordinates": [[[410000, 4496000], [411000, 4496000], [411000, 4497000], [410000, 4496000]]]}
    response = client.post("/api/hazards/area", greek_grid, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["detail"] == "geometry: coordinates must be WGS84 longitude and latitude (EPSG:4326), not EPSG:2100"


def test_area_unknown_district_or_layer(client):
    assert client.get("/api/hazards/area", {"district": "D9"}).status_code == 404
    assert client.get("/api/hazards/area", {"district": "D1", "layer": "nope"}).status_code == 404
    assert client.get("/api/hazards/area").status_code == 400


def test_demo_district_levels_api(client):
    body = client.get("/api/hazards/districts", {"kind": "earthquake"}).json()
    assert [d["district"] for d in body] == ["D1", "D2", "D3", "D4", "D5", "D6"]
    assert all(d["kinds"][0]["level"] == "high" for d in body)  # Zone II, 0.24 g, everywhere
    assert client.get("/api/hazards/districts", {"kind": "meteor"}).status_code == 400


# --- the refusals' language -------------------------------------------------------------------------------------

def test_area_statistics_without_a_district_are_refused_in_greek_with_accept_language_el(client):
    response = client.get("/api/hazards/area", HTTP_ACCEPT_LANGUAGE="el")
    assert response.status_code == 400
    assert response.json() == {"detail": "district: δώστε κωδικό δημοτικής κοινότητας ή στείλτε (POST) ένα πολύγωνο GeoJSON",
                               "code": "required", "parameter": "district",
                               "message": "δώστε κωδικό δημοτικής κοινότητας ή στείλτε (POST) ένα πολύγωνο GeoJSON"}


def test_area_statistics_without_a_district_are_refused_in_english_without_a_language(client):
    response = client.get("/api/hazards/area")
    assert response.json() == {"detail": "district: give a district code, or POST a GeoJSON polygon", "code": "required",
                               "parameter": "district", "message": "give a district code, or POST a GeoJSON polygon"}


def test_too_large_an_area_is_refused_in_greek(client):
    square = {"type": "Polygon", "coordinates": [[[20, 38], [25, 38], [25, 42], [20, 42], [20, 38]]]}
    response = client.post("/api/hazards/area", square, content_type="application/json", HTTP_ACCEPT_LANGUAGE="el")
    assert response.status_code == 400 and response.json()["code"] == "too_large"
    assert response.json()["parameter"] == "geometry" and response.json()["message"].startswith("η περιοχή είναι ")


def test_a_point_for_an_area_is_refused_by_the_geometry_reader_in_greek(client):
    point = {"type": "Point", "coordinates": [22.94, 40.63]}
    response = client.post("/api/hazards/area", point, content_type="application/json", HTTP_ACCEPT_LANGUAGE="el")
    assert response.status_code == 400
    assert response.json() == {"detail": "geometry: γεωμετρία τύπου Point δεν γίνεται δεκτή· στείλτε μία από: Polygon, MultiPolygon",
                               "code": "invalid", "parameter": "geometry",
                               "message": "γεωμετρία τύπου Point δεν γίνεται δεκτή· στείλτε μία από: Polygon, MultiPolygon"}


def test_a_point_for_an_area_is_refused_by_the_geometry_reader_in_english_without_a_language(client):
    point = {"type": "Point", "coordinates": [22.94, 40.63]}
    response = client.post("/api/hazards/area", point, content_type="application/json")
    assert response.json()["detail"] == "geometry: a Point is not accepted; send one of Polygon, MultiPolygon"
    assert response.json()["code"] == "invalid" and response.json()["parameter"] == "geometry"
