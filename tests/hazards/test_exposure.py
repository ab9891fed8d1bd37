"""Exposure: collections and residents in each level of a hazard layer, per district."""
import pytest
import rasterio
from django.conf import settings
from django.contrib.gis.geos import Point
from rasterio.warp import transform as transform_points

from hazards.models import HazardLayer

pytestmark = pytest.mark.django_db


def test_exposure_of_heritage_sites_matches_an_independent_count(client):
    from layers.models import HeritageSite
    from layers.selectors import district_for_point

    layer = HazardLayer.objects.get(slug="pga-475")
    expected: dict = {}
    with rasterio.open(settings.HAZARD_DATA_DIR / layer.raster_path) as dataset:
        for place in HeritageSite.objects.all():
            xs, ys = transform_points("EPSG:4326", dataset.crs, [place.geom.x], [place.geom.y])
            level = layer.level_of(float(next(dataset.sample([(xs[0], ys[0])]))[0]))
            district = district_for_point(place.geom).district
            key = (district.code if district else None, level)
            expected[key] = expected.get(key, 0) + 1
    body = client.get("/api/hazards/exposure", {"layer": "pga-475", "collections": "heritage-sites"}).json()
    heritage = body["collections"][0]
    found = {(d["district"], level): n for d in heritage["districts"] for level, n in d["counts"].items() if n}
    assert found == expected
    assert sum(heritage["totals"].values()) == HeritageSite.objects.count() == 21
    assert all(f["properties"]["name_en"] for d in heritage["districts"] for f in d["features"])


def test_exposure_of_open_issues_in_flood_zones(client):
    from issues.models import Category
    from issues.services.lifecycle import issue_transition
    from issues.services.reporting import issue_report
    from issues.services.submission import Reporter

    category = Category.objects.get(service_code="pothole")
    wet = issue_report(category=category, point=Point(22.9200, 40.6400, srid=4326), actor="t",
                       reporter=Reporter(email="private@example.org")).issue
    issue_report(category=category, point=Point(22.9760, 40.6120, srid=4326), actor="t")
    closed = issue_report(category=category, point=Point(22.9200, 40.6401, srid=4326), actor="t").issue
    issue_transition(issue=closed, to_status="closed", actor="t", close_reason="no_further_action")
    response = client.get("/api/hazards/exposure", {"layer": "flood-t1000", "collections": "open-issues"})
    body = response.json()["collections"][0]
    assert body["totals"]["high"] == 1 and body["totals"]["none"] == 1 and sum(body["totals"].values()) == 2
    high = [f for d in body["districts"] for f in d["features"] if f["properties"]["level"] == "high"]
    assert [f["id"] for f in high] == [wet.pk]
    assert "private@example.org" not in response.content.decode()


def test_population_exposed_is_area_weighted(client):
    body = client.get("/api/hazards/exposure", {"layer": "flood-t100", "features": "false"}).json()
    d2 = next(p for p in body["population"] if p["district"] == "D2")
    shares = client.get("/api/hazards/area", {"district": "D2", "layer": "flood-t100"}).json()["layers"][0]["level_shares"]
    assert d2["exposed"]["high"] == round(77188 * shares["high"]) and d2["exposed"]["high"] > 0
    assert next(p for p in body["population"] if p["district"] == "D4")["exposed"] == {"very_low": 0, "low": 0, "medium": 0, "high": 0}


def _heritage_exposure(client, **params) -> tuple[int, int]:
    """The heritage sites counted, and the features listed, in the exposure to pga-475."""
    body = client.get("/api/hazards/exposure", {"layer": "pga-475", "collections": "heritage-sites", **params}).json()
    districts = body["collections"][0]["districts"]
    return sum(sum(d["counts"].values()) for d in districts), sum(len(d["features"]) for d in districts)


@pytest.mark.parametrize("features", ["false", "0", "no", "off", "OFF"])
def test_exposure_without_features_for_each_false_spelling(client, features):
    assert _heritage_exposure(client, features=features) == (21, 0)


@pytest.mark.parametrize("features", ["true", "1", "yes", "on", "On", ""])
def test_exposure_with_features_for_each_true_spelling_and_by_default(client, features):
    assert _heritage_exposure(client, features=features) == (21, 21)


def test_exposure_features_that_are_not_a_boolean_are_400_naming_the_parameter(client):
    response = client.get("/api/hazards/exposure", {"layer": "flood-t100", "features": "maybe"})
    assert response.status_code == 400
    assert response.json()["detail"] == ("features: must be one of true, 1, yes, on (true) or false, 0, no, off (false), "
                                         "got 'maybe'")


def test_exposure_bad_input(client):
    assert client.get("/api/hazards/exposure").status_code == 400
    assert client.get("/api/hazards/exposure", {"layer": "nope"}).status_code == 404
    response = client.get("/api/hazards/exposure", {"layer": "pga-475", "collections": "castles"})
    assert response.status_code == 404 and "no collection 'castles'" in response.json()["detail"]


def test_exposure_of_service_points(client):
    body = client.get("/api/hazards/exposure", {"layer": "coastal-100cm", "collections": "service-points"}).json()
    points = body["collections"][0]
    assert sum(points["totals"].values()) == 12
    assert all(f["properties"]["opening_hours"] for d in points["districts"] for f in d["features"])
