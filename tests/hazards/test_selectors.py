"""Hazard reads: the point profile, the district level rule at its thresholds, and the layers that put a
point at the high level."""
import json

import pytest
from django.contrib.gis.geos import MultiPolygon, Point, Polygon

from hazards.selectors import district_levels, hazard_profile
from hazards.services import zones_import
from layers.models import District, Municipality
from tests.hazards.layer_files import spec

pytestmark = pytest.mark.django_db


def test_profile_vector_layers_give_value_and_level():
    profile = {e["layer"]: e for e in hazard_profile(Point(22.9484, 40.6264, srid=4326))}
    assert (profile["seismic-code-zone"]["value"], profile["seismic-code-zone"]["level"]) == (0.24, "high")
    # the centre is inside the flood study's coverage and outside its zones: not flooded, not unknown
    assert (profile["flood-t100"]["status"], profile["flood-t100"]["level"], profile["flood-t100"]["value"]) == ("ok", "none", None)


def test_profile_outside_every_extent_is_no_data_with_a_reason_not_zero(client):
    body = client.get("/api/hazards/profile", {"lat": "41.5", "lon": "24.0"}).json()
    rasters = [e for e in body["layers"] if e["source"] == "raster"]
    assert rasters and all(e["value"] is None and e["reason"] == "outside the layer's extent" for e in rasters)


@pytest.fixture
def square_district():
    town = Municipality.objects.create(code="T9", name_el="Δοκιμή", geom=MultiPolygon(Polygon.from_bbox((10, 50, 10.1, 50.1)), srid=4326))
    return District.objects.create(code="Z9", name_el="Τετράγωνο", municipality=town,
                                   geom=MultiPolygon(Polygon.from_bbox((10, 50, 10.1, 50.1)), srid=4326))


def zone_layer(tmp_path, features, min_share=0.05):
    path = tmp_path / "zones.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"value": value}, "geometry": json.loads(Polygon.from_bbox(box).json)}
        for box, value in features]}))
    zones_import(path=path, spec=spec(min_share=min_share), commit=True)


def level_of(code):
    entry = next(d for d in district_levels(kind="landslide") if d["district"] == code)
    return entry["kinds"][0]["level"], entry["kinds"][0]["layers"][0]


@pytest.mark.parametrize("width, expected", [(0.0051, "high"), (0.0049, "medium")])
def test_district_level_needs_the_minimum_share(square_district, tmp_path, width, expected):
    # a strip of value 45 (high) over ~5.1 % or ~4.9 % of the district, and value 35 (medium) over half of it
    zone_layer(tmp_path, [((10, 50, 10 + width, 50.1), 45), ((10.05, 50, 10.1, 50.1), 35)])
    level, numbers = level_of("Z9")
    assert level == expected
    assert numbers["share_at_or_above"]["high"] == pytest.approx(width / 0.1, abs=0.002)
    assert numbers["share_at_or_above"]["medium"] == pytest.approx(0.5 + width / 0.1, abs=0.003)


def test_district_level_worst_layer_wins_and_none_below_every_threshold(square_district, tmp_path):
    zone_layer(tmp_path, [((10, 50, 10.1, 50.1), 5)])  # below very_low everywhere
    assert level_of("Z9")[0] == "none"
    other = tmp_path / "other"
    other.mkdir()
    path = other / "zones.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"value": 25}, "geometry": json.loads(Polygon.from_bbox((10, 50, 10.1, 50.1)).json)}]}))
    zones_import(path=path, spec=spec(slug="second"), commit=True)
    entry = next(d for d in district_levels(kind="landslide") if d["district"] == "Z9")
    assert entry["kinds"][0]["level"] == "low" and "worst level" in entry["rule"]
