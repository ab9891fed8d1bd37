"""Registering hazard layers: imports refused when unfit, nothing half-written, and the import commands."""
import io
import json

import numpy as np
import pytest
from django.core.management import CommandError, call_command
from rasterio.transform import from_origin

from hazards.models import HazardLayer, HazardZone
from hazards.services import HazardImportError, raster_import, zones_import
from tests.hazards.layer_files import spec, write_raster

pytestmark = pytest.mark.django_db


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
