"""Hazard layers: imports refused when unfit, the point profile against rasterio, area shares on hand-built
data, the district level rule at its thresholds, and each bad input."""
import io
import json

import numpy as np
import pytest
import rasterio
from django.conf import settings
from django.contrib.gis.geos import MultiPolygon, Point, Polygon
from django.core.management import CommandError, call_command
from rasterio.transform import from_origin
from rasterio.warp import transform as transform_points

from hazards.models import HazardLayer, HazardZone
from hazards.selectors import area_statistics, district_levels, hazard_profile
from hazards.services import HazardImportError, LayerSpec, raster_import, zones_import
from layers.models import District, Municipality

pytestmark = pytest.mark.django_db


def spec(slug="test-layer", kind="landslide", thresholds=(10, 20, 30, 40), min_share=0.05) -> LayerSpec:
    return LayerSpec(slug=slug, kind=kind, title_el="Δοκιμή", title_en="Test", provenance="hand-built for a test",
                     licence="CC0", units="u", thresholds=thresholds, district_min_share=min_share)


def write_raster(path, data, transform, crs="EPSG:2100", nodata=-1.0, count=1):
    with rasterio.open(path, "w", driver="GTiff", width=data.shape[1], height=data.shape[0], count=count,
                       dtype="float32", crs=crs, transform=transform, nodata=nodata) as dataset:
        for band in range(1, count + 1):
            dataset.write(data.astype("float32"), band)
    return path


# --- the point profile -----------------------------------------------------------------------


@pytest.mark.parametrize("lon, lat", [(22.9484, 40.6264), (22.9250, 40.6430), (22.9760, 40.6120), (22.9600, 40.6020)])
def test_profile_raster_values_match_rasterio_directly(lon, lat):
    profile = {e["layer"]: e for e in hazard_profile(Point(lon, lat, srid=4326))}
    for slug in ("pga-475", "urban-heat"):
        layer = HazardLayer.objects.get(slug=slug)
        with rasterio.open(settings.HAZARD_DATA_DIR / layer.raster_path) as dataset:
            xs, ys = transform_points("EPSG:4326", dataset.crs, [lon], [lat])
            expected = next(dataset.sample([(xs[0], ys[0])]))[0]
        assert profile[slug]["value"] == pytest.approx(float(expected), abs=1e-4)
        assert profile[slug]["level"] == layer.level_of(float(expected))
        assert profile[slug]["units"] == layer.units


def test_profile_vector_layers_give_value_and_level():
    profile = {e["layer"]: e for e in hazard_profile(Point(22.9484, 40.6264, srid=4326))}
    assert (profile["seismic-code-zone"]["value"], profile["seismic-code-zone"]["level"]) == (0.24, "high")
    assert profile["flood-t100"]["status"] == "no data" and profile["flood-t100"]["reason"] == "outside every zone of this layer"


def test_profile_outside_every_extent_is_no_data_with_a_reason_not_zero(client):
    body = client.get("/api/hazards/profile", {"lat": "41.5", "lon": "24.0"}).json()
    rasters = [e for e in body["layers"] if e["source"] == "raster"]
    assert rasters and all(e["value"] is None and e["reason"] == "outside the layer's extent" for e in rasters)


def test_profile_on_nodata_pixels_says_so(client):
    body = client.get("/api/hazards/profile", {"lat": "40.60", "lon": "22.90", "layer": "urban-heat"}).json()
    assert body["layers"][0]["status"] == "no data" and "nodata" in body["layers"][0]["reason"]


@pytest.mark.parametrize("params, status, message", [
    ({"lat": "abc", "lon": "22.9"}, 400, "lat: must be a number"),
    ({"lat": "40.6"}, 400, "lon: is required"),
    ({"lat": "40.6", "lon": "22.9", "layer": "tsunami"}, 404, "layer: no hazard layer 'tsunami'"),
])
def test_profile_bad_input(client, params, status, message):
    response = client.get("/api/hazards/profile", params)
    assert response.status_code == status and response.json()["detail"].startswith(message)


# --- area statistics on hand-built data --------------------------------------------------------


def test_area_shares_and_statistics_on_a_hand_built_square(tmp_path):
    # A 10 × 10 raster of 100 m pixels in the Greek Grid, values 0 … 99 row by row.
    origin_x, origin_y = 400_000.0, 4_500_000.0
    data = np.arange(100, dtype="float32").reshape(10, 10)
    raster_import(path=write_raster(tmp_path / "ramp.tif", data, from_origin(origin_x, origin_y, 100, 100)),
                  spec=spec(), commit=True)
    # The square over the top-left 4 × 5 pixels (rows 0-3, columns 0-4): values 0-4, 10-14, 20-24, 30-34.
    xs, ys = transform_points("EPSG:2100", "EPSG:4326", [origin_x + 5, origin_x + 495], [origin_y - 5, origin_y - 395])
    square = Polygon.from_bbox((xs[0], ys[1], xs[1], ys[0]))
    square.srid = 4326
    stats = area_statistics(MultiPolygon(square, srid=4326), layers=HazardLayer.objects.filter(slug="test-layer"))[0]
    values = np.array([r * 10 + c for r in range(4) for c in range(5)], dtype=float)
    assert stats.statistics["pixels"] == 20 and stats.coverage == 1.0
    assert stats.statistics["min"] == 0 and stats.statistics["max"] == 34
    assert stats.statistics["mean"] == pytest.approx(values.mean()) and stats.statistics["p50"] == pytest.approx(np.percentile(values, 50))
    # thresholds 10/20/30/40: 0-4 none, 10-14 very_low, 20-24 low, 30-34 medium: five pixels each
    assert stats.level_shares == {"none": 0.25, "very_low": 0.25, "low": 0.25, "medium": 0.25}


def test_area_nodata_pixels_lower_the_coverage_not_the_values(tmp_path):
    data = np.full((4, 4), 50, dtype="float32")
    data[:2, :] = -1.0  # the top half is nodata
    raster_import(path=write_raster(tmp_path / "half.tif", data, from_origin(400_000, 4_500_000, 100, 100)), spec=spec(), commit=True)
    xs, ys = transform_points("EPSG:2100", "EPSG:4326", [400_005, 400_395], [4_499_605, 4_499_995])
    square = Polygon.from_bbox((xs[0], ys[0], xs[1], ys[1]))
    square.srid = 4326
    stats = area_statistics(MultiPolygon(square, srid=4326), layers=HazardLayer.objects.filter(slug="test-layer"))[0]
    assert stats.coverage == 0.5 and stats.statistics["min"] == 50 and stats.level_shares == {"high": 1.0}


def test_area_for_a_district_and_a_posted_polygon(client):
    by_district = client.get("/api/hazards/area", {"district": "D2", "layer": "flood-t100,pga-475"}).json()
    assert by_district["district"] == "D2" and [e["layer"] for e in by_district["layers"]] == ["pga-475", "flood-t100"]
    flood = by_district["layers"][1]
    assert 0 < flood["level_shares"]["high"] < flood["coverage"] <= 1
    geometry = json.loads(District.objects.get(code="D2").geom.json)
    posted = client.post("/api/hazards/area?layer=flood-t100", {"type": "Feature", "geometry": geometry}, content_type="application/json").json()
    assert posted["layers"][0]["level_shares"] == pytest.approx(flood["level_shares"], abs=1e-4)


@pytest.mark.parametrize("body, status, message", [
    ({"type": "Point", "coordinates": [22.9, 40.6]}, 400, "send a GeoJSON Polygon"),
    ({"type": "Polygon", "coordinates": [[[22.90, 40.60], [22.95, 40.65], [22.95, 40.60], [22.90, 40.65], [22.90, 40.60]]]},
     400, "the polygon is invalid: Self-intersection"),
    ({"type": "Polygon", "coordinates": [[[20, 38], [25, 38], [25, 42], [20, 42], [20, 38]]]}, 400, "the area is"),
    ({"type": "Polygon", "coordinates": [[[1]]]}, 400, "the polygon cannot be read"),
])
def test_area_bad_polygons(client, body, status, message):
    response = client.post("/api/hazards/area", body, content_type="application/json")
    assert response.status_code == status and response.json()["detail"].startswith(message), response.content


def test_area_unknown_district_or_layer(client):
    assert client.get("/api/hazards/area", {"district": "D9"}).status_code == 404
    assert client.get("/api/hazards/area", {"district": "D1", "layer": "nope"}).status_code == 404
    assert client.get("/api/hazards/area").status_code == 400


# --- the district level rule at its thresholds -----------------------------------------------


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
    assert level_of("Z9")[0] is None
    other = tmp_path / "other"
    other.mkdir()
    path = other / "zones.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"value": 25}, "geometry": json.loads(Polygon.from_bbox((10, 50, 10.1, 50.1)).json)}]}))
    zones_import(path=path, spec=spec(slug="second"), commit=True)
    entry = next(d for d in district_levels(kind="landslide") if d["district"] == "Z9")
    assert entry["kinds"][0]["level"] == "low" and "worst level" in entry["rule"]


def test_demo_district_levels_api(client):
    body = client.get("/api/hazards/districts", {"kind": "earthquake"}).json()
    assert [d["district"] for d in body] == ["D1", "D2", "D3", "D4", "D5", "D6"]
    assert all(d["kinds"][0]["level"] == "high" for d in body)  # Zone II, 0.24 g, everywhere
    assert client.get("/api/hazards/districts", {"kind": "meteor"}).status_code == 400


# --- imports ---------------------------------------------------------------------------------


def test_import_raster_without_crs_is_refused_and_nothing_registered(tmp_path):
    path = write_raster(tmp_path / "nocrs.tif", np.ones((3, 3)), from_origin(0, 3, 1, 1), crs=None)
    with pytest.raises(HazardImportError, match="has no coordinate reference system"):
        raster_import(path=path, spec=spec(), commit=True)
    assert not HazardLayer.objects.filter(slug="test-layer").exists()


def test_import_raster_band_that_does_not_exist_is_refused(tmp_path):
    path = write_raster(tmp_path / "two.tif", np.ones((3, 3)), from_origin(400_000, 4_500_000, 10, 10), count=2)
    with pytest.raises(HazardImportError, match="band 3 does not exist; the raster has 2 band"):
        raster_import(path=path, spec=spec(), band=3, commit=True)
    assert not HazardLayer.objects.filter(slug="test-layer").exists()


def test_import_a_file_that_is_not_a_raster_is_refused(tmp_path):
    path = tmp_path / "notes.tif"
    path.write_text("not a raster")
    with pytest.raises(HazardImportError, match="not a raster GDAL can read"):
        raster_import(path=path, spec=spec(), commit=True)


def test_import_raster_in_another_crs_gets_its_wgs84_extent(tmp_path):
    path = write_raster(tmp_path / "ok.tif", np.ones((3, 3)), from_origin(400_000, 4_500_000, 100, 100))
    report = raster_import(path=path, spec=spec(), commit=True)
    layer = HazardLayer.objects.get(slug="test-layer")
    assert report.created and layer.crs == "EPSG:2100" and layer.nodata == -1.0
    west, south, east, north = layer.extent.extent
    assert 20 < west < east < 30 and 38 < south < north < 42


def test_import_raster_dry_run_registers_nothing(tmp_path):
    path = write_raster(tmp_path / "ok.tif", np.ones((3, 3)), from_origin(400_000, 4_500_000, 100, 100))
    assert "dry run" in raster_import(path=path, spec=spec()).summary()
    assert not HazardLayer.objects.filter(slug="test-layer").exists()


def test_import_zones_errors(tmp_path):
    bowtie = {"type": "Polygon", "coordinates": [[[10, 50], [10.1, 50.1], [10.1, 50], [10, 50.1], [10, 50]]]}
    path = tmp_path / "zones.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"depth": 1}, "geometry": bowtie}]}))
    with pytest.raises(HazardImportError, match="--value-field 'value' is not a field; the fields are: depth"):
        zones_import(path=path, spec=spec(), commit=True)
    with pytest.raises(HazardImportError, match="invalid geometry: Self-intersection.*--fix"):
        zones_import(path=path, spec=spec(), value_field="depth", commit=True)
    assert not HazardLayer.objects.filter(slug="test-layer").exists()
    zones_import(path=path, spec=spec(), value_field="depth", fix=True, commit=True)
    assert HazardZone.objects.get(layer__slug="test-layer").geom.valid


def test_import_commands(tmp_path):
    path = write_raster(tmp_path / "ok.tif", np.full((3, 3), 25.0), from_origin(400_000, 4_500_000, 100, 100))
    out = io.StringIO()
    call_command("hazards_import_raster", str(path), "--slug", "cmd-layer", "--kind", "heat", "--title-el", "Θ",
                 "--title-en", "T", "--provenance", "test", "--licence", "CC0", "--units", "°C",
                 "--thresholds", "20,25,30,35", "--commit", stdout=out)
    assert "raster layer cmd-layer created" in out.getvalue()
    with pytest.raises(CommandError, match="--thresholds: four numbers"):
        call_command("hazards_import_raster", str(path), "--slug", "x", "--kind", "heat", "--title-el", "Θ", "--title-en", "T",
                     "--provenance", "p", "--licence", "l", "--units", "u", "--thresholds", "1,2", stdout=io.StringIO())
    with pytest.raises(CommandError, match="thresholds must rise"):
        call_command("hazards_import_raster", str(path), "--slug", "x", "--kind", "heat", "--title-el", "Θ", "--title-en", "T",
                     "--provenance", "p", "--licence", "l", "--units", "u", "--thresholds", "4,3,2,1", stdout=io.StringIO())


# --- hazard-aware priority -------------------------------------------------------------------


def test_a_blocked_drain_in_a_high_flood_zone_gets_a_higher_priority_with_the_reason():
    from issues.models import Category
    from issues.services.reporting import issue_report

    in_flood = Point(22.9200, 40.6400, srid=4326)  # the western stream corridor: 0.9 m at T = 1000 years
    drain = issue_report(category=Category.objects.get(service_code="blocked-drain"), point=in_flood, actor="t").issue
    pothole = issue_report(category=Category.objects.get(service_code="pothole"), point=in_flood, actor="t").issue
    dry = issue_report(category=Category.objects.get(service_code="blocked-drain"), point=Point(22.9760, 40.6120, srid=4326),
                       actor="t").issue
    assert drain.priority == 3 and "high flood hazard here" in drain.priority_reason and "flood-t1000 0.9 m" in drain.priority_reason
    assert (pothole.priority, pothole.priority_reason) == (2, "")
    assert (dry.priority, dry.priority_reason) == (2, "")


def test_the_boosted_issue_comes_first_in_the_department_queue(django_user_model):
    from django.test import Client

    from issues.models import Category, Department, DepartmentMembership
    from issues.services.reporting import issue_report

    drainage = Department.objects.get(slug="drainage")
    staff = django_user_model.objects.create_user("fotis", password="pw-123456")
    DepartmentMembership.objects.create(user=staff, department=drainage)
    category = Category.objects.get(service_code="blocked-drain")
    dry = issue_report(category=category, point=Point(22.9760, 40.6120, srid=4326), actor="t").issue
    wet = issue_report(category=category, point=Point(22.9200, 40.6400, srid=4326), actor="t").issue
    client = Client()
    client.force_login(staff)
    features = client.get("/api/departments/drainage/queue").json()["features"]
    assert [f["id"] for f in features] == [wet.pk, dry.pk]
    assert features[0]["properties"]["priority_reason"].startswith("high flood hazard here")


# --- raster tiles and legend -----------------------------------------------------------------


def lonlat_to_tile(lon, lat, z):
    import math

    n = 2 ** z
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return x, y


def test_raster_tile_decodes_with_colours_inside_and_transparency_outside(client):
    from PIL import Image

    x, y = lonlat_to_tile(22.935, 40.6400, 13)  # covers the city's west and the gulf's edge
    response = client.get(f"/api/hazards/urban-heat/tiles/13/{x}/{y}.png")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    image = Image.open(io.BytesIO(response.content))
    assert image.size == (256, 256) and image.mode == "RGBA"
    alpha = np.array(image)[:, :, 3]
    assert (alpha == 0).any() and (alpha > 0).any()  # data and no data in the same tile


def test_raster_tile_far_away_is_fully_transparent(client):
    from PIL import Image

    response = client.get("/api/hazards/pga-475/tiles/10/100/100.png")
    assert response.status_code == 200
    assert np.array(Image.open(io.BytesIO(response.content)))[:, :, 3].max() == 0


@pytest.mark.parametrize("path, message", [
    ("/api/hazards/pga-475/tiles/3/8/1.png", "does not exist at zoom 3"),
    ("/api/hazards/pga-475/tiles/23/0/0.png", "zoom 23 is outside"),
    ("/api/hazards/nope/tiles/3/1/1.png", "no hazard layer 'nope'"),
    ("/api/hazards/flood-t100/tiles/3/1/1.png", "is a vector layer"),
])
def test_raster_tile_errors(client, path, message):
    response = client.get(path)
    assert response.status_code == 404 and message in response.json()["detail"]


def test_legend(client):
    body = client.get("/api/hazards/pga-475/legend").json()
    assert [c["level"] for c in body["classes"]] == ["very_low", "low", "medium", "high"]
    assert body["classes"][-1] == {"level": "high", "from": 0.24, "to": None, "rgba": [227, 26, 28, 195]}
    assert client.get("/api/hazards/nope/legend").status_code == 404


# --- exposure --------------------------------------------------------------------------------


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
    from issues.services.reporting import Reporter, issue_report

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
