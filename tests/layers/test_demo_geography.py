"""The demo geography: six districts that partition the municipality, each around its reference point."""
import pytest
from django.db import connection

from layers.demo import load_demo_geography
from layers.models import District, Municipality
from layers.selectors import district_for_point
from tests.conftest import wgs84

REFERENCE_POINTS = {
    "D1": (22.9440, 40.6340),
    "D2": (22.9250, 40.6430),
    "D3": (22.9560, 40.6420),
    "D4": (22.9760, 40.6120),
    "D5": (22.9600, 40.6020),
    "D6": (22.9700, 40.6233),
}

pytestmark = pytest.mark.django_db


def _scalar(sql: str, params: dict | None = None):
    with connection.cursor() as cursor:
        cursor.execute(sql, params or {})
        return cursor.fetchone()[0]


def test_demo_has_six_districts_with_greek_and_english_names():
    districts = list(District.objects.order_by("code"))
    assert [d.code for d in districts] == ["D1", "D2", "D3", "D4", "D5", "D6"]
    assert all(d.name_el and d.name_en for d in districts)
    assert all(d.municipality.code == "9031" for d in districts)


def test_demo_districts_cover_the_municipality_within_half_a_percent():
    union_area = _scalar("SELECT ST_Area(ST_Union(geom)::geography) FROM layers_district")
    municipality_area = _scalar("SELECT ST_Area(geom::geography) FROM layers_municipality WHERE code = '9031'")
    assert abs(union_area - municipality_area) / municipality_area < 0.005


def test_demo_districts_overlap_by_less_than_one_square_metre():
    overlap = _scalar(
        """
        SELECT coalesce(sum(ST_Area(ST_Intersection(a.geom, b.geom)::geography)), 0)
        FROM layers_district a JOIN layers_district b ON a.id < b.id AND ST_Intersects(a.geom, b.geom)
        """
    )
    assert overlap < 1.0


def test_demo_municipality_area_is_close_to_the_official_one():
    area_km2 = _scalar("SELECT ST_Area(geom::geography) / 1e6 FROM layers_municipality WHERE code = '9031'")
    assert area_km2 == pytest.approx(19.3, rel=0.03)


@pytest.mark.parametrize("code", sorted(REFERENCE_POINTS))
def test_demo_reference_point_falls_in_its_district(code):
    place = district_for_point(wgs84(*REFERENCE_POINTS[code]))
    assert place.district is not None and place.district.code == code


def test_demo_provenance_says_approximate():
    assert "approximate" in Municipality.objects.get(code="9031").provenance
    assert all("approximate" in d.provenance for d in District.objects.all())
    assert all("illustrative" in m.provenance for m in Municipality.objects.exclude(code="9031"))


def test_demo_load_again_changes_nothing():
    reports = load_demo_geography(commit=True)
    boundaries, others = reports[:3], reports[3:]
    assert [len(r.created) + len(r.updated) for r in boundaries] == [0, 0, 0]
    assert [len(r.unchanged) for r in boundaries] == [1, 5, 6]
    assert all((r.created, r.updated) == (0, 0) and r.unchanged > 0 for r in others)


def test_demo_dry_run_on_an_empty_database_writes_nothing():
    District.objects.all().delete()
    Municipality.objects.all().delete()
    reports = load_demo_geography(commit=False)
    assert [len(r.created) for r in reports[:3]] == [1, 5, 6]
    assert not any(r.committed for r in reports)
    assert Municipality.objects.count() == 0 and District.objects.count() == 0
