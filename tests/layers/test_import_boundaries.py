"""layers_import_boundaries: real boundaries in any CRS, idempotent re-imports, and each bad input refused."""
import json
from io import StringIO

import geopandas as gpd
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from shapely.geometry import Polygon as ShapelyPolygon

from layers.models import District, Municipality
from layers.selectors import district_for_point
from tests.conftest import wgs84

pytestmark = [
    pytest.mark.django_db,
    # Writing the CRS-less test files is the point of those tests.
    pytest.mark.filterwarnings("ignore:'crs' was not provided:UserWarning"),
]

KALLIKRATIS_CODES = ["9031", "9032", "9033", "9035", "9036", "9037"]


def run_import(path, *args) -> str:
    out = StringIO()
    call_command("layers_import_boundaries", str(path), *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def import_municipalities(path, *extra) -> str:
    return run_import(path, "--level", "municipality", "--code-field", "ypes_code", "--name-field", "name_el", *extra)


def areas_km2(codes) -> dict[str, float]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT code, ST_Area(geom::geography) / 1e6 FROM layers_municipality WHERE code = ANY(%(codes)s)",
            {"codes": list(codes)},
        )
        return dict(cursor.fetchall())


def snapshot():
    return sorted(
        (m.code, m.name_el, m.geom.wkb.hex()) for m in Municipality.objects.all()
    ) + sorted((d.code, d.name_el, d.geom.wkb.hex()) for d in District.objects.all())


def write_geojson(path, features, crs=None):
    collection = {"type": "FeatureCollection", "features": features}
    if crs:
        collection["crs"] = {"type": "name", "properties": {"name": crs}}
    path.write_text(json.dumps(collection))
    return path


def feature(code, name, coordinates, geometry_type="Polygon"):
    return {
        "type": "Feature",
        "properties": {"ypes_code": code, "name_el": name},
        "geometry": {"type": geometry_type, "coordinates": coordinates},
    }


SQUARE = [[[23.5, 40.5], [23.6, 40.5], [23.6, 40.6], [23.5, 40.6], [23.5, 40.5]]]
BOWTIE = [[[23.5, 40.5], [23.6, 40.6], [23.6, 40.5], [23.5, 40.6], [23.5, 40.5]]]


def test_import_kallikratis_gives_six_municipalities(kallikratis_file):
    output = import_municipalities(kallikratis_file, "--commit")
    assert "6 municipality boundaries" in output
    assert set(KALLIKRATIS_CODES) <= set(Municipality.objects.values_list("code", flat=True))
    assert areas_km2(["9031"])["9031"] == pytest.approx(19.76, rel=0.01)


def test_import_kallikratis_twice_changes_nothing(kallikratis_file):
    import_municipalities(kallikratis_file, "--commit")
    before = snapshot()
    output = import_municipalities(kallikratis_file, "--commit")
    assert "0 created, 0 updated, 6 unchanged" in output
    assert snapshot() == before


def test_import_kallikratis_in_greek_grid_gives_the_same_areas(kallikratis_file, tmp_path):
    import_municipalities(kallikratis_file, "--commit")
    wgs84_areas = areas_km2(KALLIKRATIS_CODES)
    greek_grid = tmp_path / "municipalities-2100.gpkg"
    gpd.read_file(kallikratis_file).to_crs(2100).to_file(greek_grid, driver="GPKG")
    output = import_municipalities(greek_grid, "--commit")
    assert "EPSG:2100" in output
    greek_areas = areas_km2(KALLIKRATIS_CODES)
    for code in KALLIKRATIS_CODES:
        assert greek_areas[code] == pytest.approx(wgs84_areas[code], rel=1e-4), code


def test_import_kallikratis_lets_points_outside_name_their_municipality(kallikratis_file):
    import_municipalities(kallikratis_file, "--commit")
    place = district_for_point(wgs84(22.9700, 40.5800))  # Kalamaria's seafront
    assert place.district is None
    assert place.municipality.code == "9032"


def test_import_without_commit_writes_nothing(kallikratis_file):
    before = snapshot()
    output = import_municipalities(kallikratis_file)
    assert "dry run, nothing written" in output
    assert snapshot() == before


def test_import_file_without_crs_is_refused(tmp_path):
    frame = gpd.GeoDataFrame({"ypes_code": ["X1"], "name_el": ["Χωρίς CRS"]}, geometry=[ShapelyPolygon(SQUARE[0])])
    path = tmp_path / "no-crs.shp"
    frame.to_file(path)
    assert not path.with_suffix(".prj").exists()
    before = snapshot()
    with pytest.raises(CommandError, match="declares no coordinate reference system.*--source-srid"):
        import_municipalities(path, "--commit")
    assert snapshot() == before


def test_import_file_without_crs_takes_source_srid(tmp_path):
    frame = gpd.GeoDataFrame({"ypes_code": ["X1"], "name_el": ["Χωρίς CRS"]}, geometry=[ShapelyPolygon(SQUARE[0])])
    path = tmp_path / "no-crs.shp"
    frame.to_file(path)
    import_municipalities(path, "--source-srid", "4326", "--commit")
    assert Municipality.objects.get(code="X1").geom.extent == pytest.approx((23.5, 40.5, 23.6, 40.6))


def test_import_unknown_field_is_refused_with_the_fields_it_has(tmp_path):
    path = write_geojson(tmp_path / "a.geojson", [feature("X1", "Α", SQUARE)])
    before = snapshot()
    with pytest.raises(CommandError, match="--code-field 'kodikos' is not a field.*ypes_code, name_el"):
        run_import(path, "--level", "municipality", "--code-field", "kodikos", "--name-field", "name_el", "--commit")
    assert snapshot() == before


def test_import_empty_file_is_refused(tmp_path):
    path = write_geojson(tmp_path / "empty.geojson", [])
    with pytest.raises(CommandError, match="no features|no layers"):
        import_municipalities(path, "--commit")


def test_import_broken_geometry_without_fix_is_refused_and_writes_nothing(tmp_path):
    path = write_geojson(tmp_path / "bowtie.geojson", [feature("X1", "Καλό", SQUARE), feature("X2", "Παπιγιόν", BOWTIE)])
    before = snapshot()
    with pytest.raises(CommandError, match=r"feature 2 \(code X2\): invalid geometry: Self-intersection.*--fix"):
        import_municipalities(path, "--commit")
    assert snapshot() == before
    assert not Municipality.objects.filter(code="X1").exists()


def test_import_broken_geometry_with_fix_is_repaired(tmp_path):
    path = write_geojson(tmp_path / "bowtie.geojson", [feature("X2", "Παπιγιόν", BOWTIE)])
    output = import_municipalities(path, "--fix", "--commit")
    assert "repaired invalid geometry of X2" in output
    repaired = Municipality.objects.get(code="X2").geom
    assert repaired.valid and len(repaired) == 2  # the bow-tie becomes its two triangles


def test_import_point_geometry_is_refused(tmp_path):
    path = write_geojson(tmp_path / "points.geojson", [feature("X3", "Σημείο", [23.5, 40.5], "Point")])
    with pytest.raises(CommandError, match="is a Point; boundaries must be polygons"):
        import_municipalities(path, "--commit")


def test_import_duplicate_codes_are_refused(tmp_path):
    path = write_geojson(tmp_path / "dup.geojson", [feature("X1", "Α", SQUARE), feature("X1", "Β", SQUARE)])
    with pytest.raises(CommandError, match="code X1 already used by feature 1"):
        import_municipalities(path, "--commit")


def test_import_file_gdal_cannot_read_is_refused(tmp_path):
    path = tmp_path / "notes.geojson"
    path.write_text("this is not geodata")
    with pytest.raises(CommandError, match="GDAL cannot read this file"):
        import_municipalities(path, "--commit")


def test_import_missing_file_is_refused(tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        import_municipalities(tmp_path / "absent.geojson", "--commit")


def test_import_districts_of_a_missing_municipality_is_refused(tmp_path):
    path = write_geojson(tmp_path / "d.geojson", [feature("Q1", "Περιοχή", SQUARE)])
    with pytest.raises(CommandError, match="municipality 7777 does not exist yet"):
        run_import(path, "--level", "district", "--code-field", "ypes_code", "--name-field", "name_el",
                   "--municipality", "7777", "--commit")


def test_import_districts_in_greek_grid_route_points(tmp_path):
    frame = gpd.GeoDataFrame(
        {"ypes_code": ["Q1"], "name_el": ["Νέα περιοχή"]}, geometry=[ShapelyPolygon(SQUARE[0])], crs=4326
    ).to_crs(2100)
    path = tmp_path / "district-2100.geojson"
    frame.to_file(path, driver="GeoJSON")
    run_import(path, "--level", "district", "--code-field", "ypes_code", "--name-field", "name_el", "--commit")
    assert district_for_point(wgs84(23.55, 40.55)).district.code == "Q1"
