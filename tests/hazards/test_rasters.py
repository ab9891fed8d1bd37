"""Hazard rasters: point samples against rasterio, nodata, and area shares and statistics on hand-built data."""
import numpy as np
import pytest
import rasterio
from django.conf import settings
from django.contrib.gis.geos import MultiPolygon, Point, Polygon
from rasterio.transform import from_origin
from rasterio.warp import transform as transform_points

from hazards.models import HazardLayer
from hazards.selectors import area_statistics, hazard_profile
from hazards.services import raster_import
from tests.hazards.layer_files import spec, write_raster

pytestmark = pytest.mark.django_db


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


def test_profile_on_nodata_pixels_says_so(client):
    body = client.get("/api/hazards/profile", {"lat": "40.60", "lon": "22.90", "layer": "urban-heat"}).json()
    assert body["layers"][0]["status"] == "no data" and "nodata" in body["layers"][0]["reason"]


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
