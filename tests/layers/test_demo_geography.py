"""The demo geography: the real Kallikratis outline and neighbours, six approximate districts that partition
the outline exactly, each around its reference point, and heritage sites inside the municipality."""
import json
from pathlib import Path

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


def test_demo_districts_cover_the_municipality():
    uncovered_m2 = _scalar(
        """SELECT ST_Area(ST_Difference(m.geom, (SELECT ST_Union(geom) FROM layers_district))::geography)
           FROM layers_municipality m WHERE m.code = '9031'"""
    )
    assert uncovered_m2 < 1.0


def test_demo_districts_lie_inside_the_municipality():
    outside_m2 = _scalar(
        """SELECT ST_Area(ST_Difference((SELECT ST_Union(geom) FROM layers_district), m.geom)::geography)
           FROM layers_municipality m WHERE m.code = '9031'"""
    )
    assert outside_m2 < 1.0


def test_demo_districts_overlap_by_less_than_one_square_metre():
    overlap = _scalar(
        """
        SELECT coalesce(sum(ST_Area(ST_Intersection(a.geom, b.geom)::geography)), 0)
        FROM layers_district a JOIN layers_district b ON a.id < b.id AND ST_Intersects(a.geom, b.geom)
        """
    )
    assert overlap < 1.0


def test_demo_municipality_is_the_kallikratis_boundary(kallikratis_file):
    source = json.loads(Path(kallikratis_file).read_text("utf-8"))
    geometries = {f["properties"]["ypes_code"]: json.dumps(f["geometry"]) for f in source["features"]}
    for municipality in Municipality.objects.all():
        differs_m2 = _scalar(
            "SELECT ST_Area(ST_SymDifference(geom, ST_SetSRID(ST_GeomFromGeoJSON(%(g)s), 4326))::geography) "
            "FROM layers_municipality WHERE code = %(code)s", {"g": geometries[municipality.code], "code": municipality.code})
        assert differs_m2 < 1.0, municipality.code
    area_km2 = _scalar("SELECT ST_Area(geom::geography) / 1e6 FROM layers_municipality WHERE code = '9031'")
    assert area_km2 == pytest.approx(19.76, rel=0.01)  # geodata.gov.gr's measure (the official figure is 19.3 km²)


def test_demo_neighbours_border_the_municipality_without_overlapping_it():
    overlap_m2 = _scalar(
        """SELECT coalesce(sum(ST_Area(ST_Intersection(n.geom, m.geom)::geography)), 0)
           FROM layers_municipality n, layers_municipality m WHERE m.code = '9031' AND n.code <> '9031'"""
    )
    touching = _scalar(
        """SELECT count(*) FROM layers_municipality n, layers_municipality m
           WHERE m.code = '9031' AND n.code <> '9031' AND ST_DWithin(n.geom::geography, m.geom::geography, 1)"""
    )
    near = _scalar(
        """SELECT count(*) FROM layers_municipality n, layers_municipality m
           WHERE m.code = '9031' AND n.code <> '9031' AND ST_DWithin(n.geom::geography, m.geom::geography, 600)"""
    )
    # Kalamaria, Neapoli-Sykies and Pylaia-Chortiatis share an edge; Pavlos Melas and Kordelio-Evosmos lie
    # across a strip of Neapoli-Sykies, a few hundred metres away
    assert overlap_m2 < 1.0 and touching == 3 and near == 5


def test_every_heritage_site_lies_inside_the_municipality():
    from layers.models import HeritageSite

    outside = [s.slug for s in HeritageSite.objects.all() if district_for_point(s.geom).district is None]
    assert outside == []


@pytest.mark.parametrize("slug", ["heptapyrgion", "vlatadon", "hosios-david", "hagios-nikolaos-orphanos"])
def test_upper_town_heritage_site_says_where_its_position_comes_from(slug):
    from layers.models import HeritageSite

    site = HeritageSite.objects.get(slug=slug)
    assert site.provenance.startswith("Position")
    assert district_for_point(site.geom).district.code == "D3"


def test_heptapyrgion_provenance_says_it_sits_on_the_boundary():
    from layers.models import HeritageSite

    assert "boundary with Neapoli-Sykies" in HeritageSite.objects.get(slug="heptapyrgion").provenance


@pytest.mark.parametrize("code", sorted(REFERENCE_POINTS))
def test_demo_reference_point_falls_in_its_district(code):
    place = district_for_point(wgs84(*REFERENCE_POINTS[code]))
    assert place.district is not None and place.district.code == code


def test_demo_provenance_says_real_boundaries_and_approximate_districts():
    assert all("geodata.gov.gr, CC BY 3.0" in m.provenance for m in Municipality.objects.all())
    assert all("approximate" in d.provenance for d in District.objects.all())


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
