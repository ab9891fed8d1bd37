"""A layer's coverage: inside it and in a zone is the zone's level; inside it and outside every zone is none (not
affected); outside it is no data. The profile, area statistics, district levels and exposure say the same thing
for the same place (the demo flood layers cover the municipality)."""
import pytest
from django.contrib.gis.geos import MultiPolygon, Point, Polygon

from hazards.exposure import exposure
from hazards.models import HazardLayer
from hazards.selectors import area_statistics, district_levels, hazard_profile
from hazards.services import zones_import
from layers.models import District, Municipality
from tests.hazards.layer_files import spec

pytestmark = pytest.mark.django_db

IN_ZONE = (22.9200, 40.6400)  # the western stream corridor: 0.9 m at T = 1000 years
IN_COVERAGE = (22.9760, 40.6120)  # the eastern districts, in the municipality, away from every flood zone
OUTSIDE = (22.8000, 40.6000)  # west of the municipality: the flood study does not cover it

EXPECTED = {IN_ZONE: ("ok", "high"), IN_COVERAGE: ("ok", "none"), OUTSIDE: ("no data", None)}


def layer():
    return HazardLayer.objects.get(slug="flood-t1000")


@pytest.mark.parametrize("place", [IN_ZONE, IN_COVERAGE, OUTSIDE])
def test_profile(place):
    entry = hazard_profile(Point(*place, srid=4326), layers=[layer()])[0]
    assert (entry["status"], entry["level"]) == EXPECTED[place]
    if place == OUTSIDE:
        assert entry["reason"] == "outside the layer's coverage (the area its study covers)"


def small_square(place, half=0.0004):
    lon, lat = place
    return MultiPolygon(Polygon.from_bbox((lon - half, lat - half, lon + half, lat + half)), srid=4326)


@pytest.mark.parametrize("place", [IN_ZONE, IN_COVERAGE, OUTSIDE])
def test_area_statistics(place):
    stats = area_statistics(small_square(place), layers=[layer()])[0]
    status, level = EXPECTED[place]
    if level is None:
        assert stats.coverage == 0 and stats.level_shares == {}
    else:
        assert stats.coverage == pytest.approx(1.0, abs=1e-3)
        assert max(stats.level_shares, key=stats.level_shares.get) == level


@pytest.mark.parametrize("place", [IN_ZONE, IN_COVERAGE, OUTSIDE])
def test_district_levels(place):
    """A district made of the small square around the place."""
    town = Municipality.objects.create(code="T9", name_el="Δοκιμή", geom=small_square(place))
    district = District.objects.create(code="Z9", name_el="Τετράγωνο", municipality=town, geom=small_square(place))
    entry = district_levels(kind="flood", districts=[district])[0]
    numbers = next(item for item in entry["kinds"][0]["layers"] if item["layer"] == "flood-t1000")
    assert numbers["level"] == EXPECTED[place][1]


def test_exposure_counts_each_place_as_the_profile_says(tmp_path):
    """Reports can only be made in the municipality: a layer of its own whose coverage leaves the centre out."""
    import json

    from issues.models import Category
    from issues.services.reporting import issue_report

    centre = (22.9484, 40.6264)
    path = tmp_path / "zone.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"value": 45}, "geometry": json.loads(small_square(IN_ZONE).json)}]}))
    coverage = MultiPolygon(*small_square(IN_ZONE, 0.001), *small_square(IN_COVERAGE, 0.001), srid=4326)
    zones_import(path=path, spec=spec(coverage=coverage), commit=True)
    mine = HazardLayer.objects.get(slug="test-layer")
    category = Category.objects.get(service_code="pothole")
    places = {IN_ZONE: "high", IN_COVERAGE: "none", centre: None}
    reports = {place: issue_report(category=category, point=Point(*place, srid=4326), actor="t").issue for place in places}
    answer = exposure(layer=mine, collection_ids=["open-issues"], with_population=False)["collections"][0]
    levels = {f["id"]: f["properties"]["level"] for d in answer["districts"] for f in d["features"]}
    assert {place: levels[issue.pk] for place, issue in reports.items()} == places
    assert (answer["totals"]["high"], answer["totals"]["none"], answer["totals"]["no_data"]) == (1, 1, 1)
    profile = {place: hazard_profile(Point(*place, srid=4326), layers=[mine])[0]["level"] for place in places}
    assert profile == places


def test_a_raster_nodata_pixel_is_no_data_and_below_very_low_is_none():
    heat = HazardLayer.objects.get(slug="urban-heat")
    gulf = hazard_profile(Point(22.90, 40.60, srid=4326), layers=[heat])[0]
    assert (gulf["status"], gulf["level"]) == ("no data", None)
    pga = HazardLayer.objects.get(slug="pga-475")
    far = hazard_profile(Point(22.90, 40.59, srid=4326), layers=[pga])[0]
    assert far["status"] == "ok" and far["level"] == (pga.level_of(far["value"]) or "none")
