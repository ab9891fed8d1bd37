"""A proposal's place: which districts PostGIS assigns, with what shares, and what is refused."""
import json

import pytest
from django.contrib.gis.geos import LineString, Point

from core.params import ParameterError, parse_geometry
from participation.api.serializers import ProposalInputSerializer
from participation.errors import InvalidInput
from participation.places import PLACE_TYPES, checked_place_districts, place_districts

from .conftest import inside_point, make_process, municipality_point, shared_boundary

pytestmark = pytest.mark.django_db


def parse_place(raw):
    return parse_geometry(raw, parameter="place", types=PLACE_TYPES)


def codes(shares):
    return {s.district.code: round(s.share, 3) for s in shares}


def test_place_polygon_across_two_districts_gets_both_with_area_shares():
    boundary = shared_boundary("D1", "D2")
    middle = boundary.interpolate_normalized(0.5)
    square = Point(middle.x, middle.y, srid=4326).buffer(0.0015)
    shares, outside = place_districts(square)
    assert set(codes(shares)) == {"D1", "D2"} and not outside
    assert sum(s.share for s in shares) == pytest.approx(1.0)
    assert all(0.2 < s.share < 0.8 for s in shares)
    assert shares[0].share >= shares[1].share  # the largest share first: it is the proposal's district


def test_place_polygon_mostly_in_one_district_gets_the_larger_share_there():
    boundary = shared_boundary("D1", "D2")
    middle = boundary.interpolate_normalized(0.5)
    inner = inside_point("D1")
    # a square pulled towards the inside of D1: most of its area in D1
    cx, cy = middle.x + (inner.x - middle.x) * 0.05, middle.y + (inner.y - middle.y) * 0.05
    square = Point(cx, cy, srid=4326).buffer(0.0012)
    shares, _ = place_districts(square)
    result = codes(shares)
    if len(result) == 2:
        assert result["D1"] > result["D2"]
    else:
        assert result == {"D1": 1.0}


def test_place_line_on_a_boundary_is_split_equally_between_the_two_districts():
    boundary = shared_boundary("D1", "D2")
    stretch = LineString([boundary.interpolate_normalized(0.3).coords, boundary.interpolate_normalized(0.31).coords],
                         srid=4326)
    # the stretch of boundary itself (vertices taken from the boundary so it lies exactly on it)
    line = boundary if boundary.geom_type == "LineString" else stretch
    shares, outside = place_districts(line)
    assert not outside
    assert codes(shares) == {"D1": 0.5, "D2": 0.5}


def test_place_line_crossing_a_boundary_gets_length_shares():
    a, b = inside_point("D1"), inside_point("D3")
    line = LineString([a.coords, b.coords], srid=4326)
    shares, _ = place_districts(line)
    result = codes(shares)
    assert {"D1", "D3"} <= set(result)
    assert sum(result.values()) == pytest.approx(1.0, abs=0.002)


def test_place_point_on_a_boundary_goes_to_the_smallest_district_code():
    boundary = shared_boundary("D1", "D2")
    x, y = boundary.coords[len(boundary.coords) // 2]  # a vertex both boundaries hold: exactly on the edge
    shares, _ = place_districts(Point(x, y, srid=4326))
    assert codes(shares) == {"D1": 1.0}


def test_place_point_outside_the_city_is_refused_naming_the_neighbouring_municipality():
    process = make_process()
    kalamaria = municipality_point("9032")
    with pytest.raises(InvalidInput) as refused:
        checked_place_districts(process, kalamaria)
    assert "Kalamaria" in refused.value.message


def test_place_polygon_partly_outside_the_city_is_refused_naming_the_neighbour():
    process = make_process()
    inside, kalamaria = inside_point("D4"), municipality_point("9032")
    polygon = LineString([inside.coords, kalamaria.coords], srid=4326).buffer(0.001)  # from Toumba into Kalamaria
    polygon.srid = 4326
    with pytest.raises(InvalidInput) as refused:
        checked_place_districts(process, polygon)
    assert "outside the Municipality of Thessaloniki" in refused.value.message
    assert "Kalamaria" in refused.value.message


def test_place_outside_the_process_districts_is_refused_naming_the_district():
    process = make_process(districts=("D1",))
    with pytest.raises(InvalidInput) as refused:
        checked_place_districts(process, inside_point("D4"))
    assert "D4" in refused.value.message and "covers" in refused.value.message and "D1" in refused.value.message


def test_place_self_intersecting_polygon_is_refused_with_what_to_fix():
    bowtie = {"type": "Polygon", "coordinates": [[[22.94, 40.63], [22.95, 40.64], [22.95, 40.63], [22.94, 40.64],
                                                   [22.94, 40.63]]]}
    with pytest.raises(ParameterError) as refused:
        parse_place(bowtie)
    assert "Self-intersection" in refused.value.message and "edges do not cross" in refused.value.message


def test_place_unclosed_ring_is_refused():
    with pytest.raises(ParameterError) as refused:
        parse_place({"type": "Polygon", "coordinates": [[[22.94, 40.63], [22.95, 40.64], [22.95, 40.63]]]})
    assert "at least four" in refused.value.message


def test_place_over_the_vertex_cap_is_refused_naming_the_place(settings):
    circle = inside_point("D1").buffer(0.001, quadsegs=settings.GEOMETRY_MAX_VERTICES // 4)  # 4 per quadrant + 1
    with pytest.raises(ParameterError) as refused:
        parse_place(json.loads(circle.json))
    assert refused.value.parameter == "place"
    assert f"at most {settings.GEOMETRY_MAX_VERTICES}, simplify the drawing" in refused.value.message


def test_place_of_an_unaccepted_type_is_refused():
    with pytest.raises(ParameterError) as refused:
        parse_place({"type": "GeometryCollection", "coordinates": []})
    assert "not accepted" in refused.value.message


def test_place_latitude_first_coordinates_are_refused():
    with pytest.raises(ParameterError):
        parse_place({"type": "Point", "coordinates": [40.63, 222.94]})


@pytest.mark.parametrize("place", [None, "", {}])
def test_place_none_or_empty_is_a_city_wide_idea(place):
    body = ProposalInputSerializer(data={"place": place}, partial=True)
    assert body.is_valid() and body.validated_data["place"] is None


@pytest.mark.parametrize("raw", [
    {"type": "Point", "coordinates": "abc"}, {"type": "Point", "coordinates": [1]},
    {"type": "Point", "coordinates": [None, None]}, {"type": "Polygon", "coordinates": []},
    {"type": "LineString", "coordinates": [[22.94, 40.63]]},
])
def test_place_with_unreadable_coordinates_is_refused_saying_what_a_geometry_needs(raw):
    with pytest.raises(ParameterError) as refused:
        parse_place(raw)
    assert "cannot be read" in refused.value.message
