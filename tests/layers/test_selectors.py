"""district_for_point: inside, on a shared edge, on the outer edge, outside, in a neighbour."""
import math

import pytest
from django.contrib.gis.geos import MultiPolygon, Polygon

from layers.models import District, DistrictPiece, Municipality
from layers.selectors import district_for_point
from tests.conftest import wgs84

pytestmark = pytest.mark.django_db


def square(x0, y0, x1, y1) -> MultiPolygon:
    return MultiPolygon(Polygon(((x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0))), srid=4326)


@pytest.fixture
def two_districts():
    """A hand-made municipality far from Thessaloniki, split at lon 10.5 into districts Z2 (west) and Z1 (east)."""
    town = Municipality.objects.create(code="T1", name_el="Δοκιμή", geom=square(10.0, 50.0, 11.0, 51.0))
    west = District.objects.create(code="Z2", name_el="Δύση", municipality=town, geom=square(10.0, 50.0, 10.5, 51.0))
    east = District.objects.create(code="Z1", name_el="Ανατολή", municipality=town, geom=square(10.5, 50.0, 11.0, 51.0))
    return west, east


def test_district_for_point_inside_a_demo_district():
    place = district_for_point(wgs84(22.9410, 40.6325))  # Aristotelous Square
    assert place.district.code == "D1"
    assert place.in_home_municipality


def test_district_for_point_inside_a_hand_made_district(two_districts):
    west, east = two_districts
    assert district_for_point(wgs84(10.25, 50.5)).district == west
    assert district_for_point(wgs84(10.75, 50.5)).district == east


def test_district_for_point_on_shared_edge_goes_to_the_smallest_code(two_districts):
    west, east = two_districts
    place = district_for_point(wgs84(10.5, 50.5))
    assert place.district == east  # Z1 < Z2, whichever side was created first


def test_district_for_point_on_shared_corner_goes_to_the_smallest_code(two_districts):
    _, east = two_districts
    assert district_for_point(wgs84(10.5, 51.0)).district == east


def test_district_for_point_on_the_outer_edge_counts_as_inside(two_districts):
    west, _ = two_districts
    assert district_for_point(wgs84(10.0, 50.25)).district == west


def test_district_for_point_on_a_demo_municipality_vertex_counts_as_inside():
    place = district_for_point(wgs84(22.913139096526105, 40.650616571403724))  # the outline's first vertex
    assert place.district is not None
    assert place.in_home_municipality


def test_district_for_point_outside_names_the_neighbour():
    place = district_for_point(wgs84(22.955, 40.585))  # south-east of the city
    assert place.district is None
    assert place.municipality.code == "9032"  # Kalamaria (Kallikratis neighbour)
    assert not place.in_home_municipality


def test_district_for_point_outside_everything_gets_nothing():
    place = district_for_point(wgs84(22.90, 40.60))  # Thermaikos Gulf
    assert place.district is None and place.municipality is None


def test_district_for_point_in_a_large_polygon_uses_its_subdivided_pieces():
    town = Municipality.objects.create(code="T2", name_el="Κύκλος", geom=square(-1.0, -1.0, 1.0, 1.0))
    ring = [(0.5 * math.cos(2 * math.pi * i / 400), 0.5 * math.sin(2 * math.pi * i / 400)) for i in range(400)]
    circle = MultiPolygon(Polygon(ring + [ring[0]]), srid=4326)
    district = District.objects.create(code="C1", name_el="Κύκλος", municipality=town, geom=circle)
    assert DistrictPiece.objects.filter(district=district).count() > 4
    for lon, lat in [(0.0, 0.0), (0.3, 0.1), (-0.2, -0.35), (0.0, 0.49), (0.49, 0.0)]:
        assert district_for_point(wgs84(lon, lat)).district == district
    assert district_for_point(wgs84(0.45, 0.45)).district is None


def test_district_for_point_follows_an_edited_boundary(two_districts):
    west, east = two_districts
    east.geom = square(10.6, 50.0, 11.0, 51.0)  # the boundary moves east; 10.55 now lies in no district
    east.save()
    west.geom = square(10.0, 50.0, 10.6, 51.0)
    west.save()
    assert district_for_point(wgs84(10.55, 50.5)).district == west
