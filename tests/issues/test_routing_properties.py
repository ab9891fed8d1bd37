"""Property-based tests (hypothesis) of routing: any point inside a district routes to that district; any
point far outside the municipality is refused, and over Open311 nothing is stored."""
import pytest
import shapely
from django.contrib.gis.geos import Point
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from issues.models import Category, Issue
from issues.routing import OutsideMunicipality, route_report
from layers.models import District, Municipality

pytestmark = pytest.mark.django_db
ROUTING = settings(max_examples=150, deadline=None, derandomize=True, database=None,
                   suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.filter_too_much, HealthCheck.too_slow])
INSIDE_MARGIN_DEG = 0.00002   # about 2 m: a point this far inside is in no other district
FAR_DEG = 0.01                # about 1 km, far beyond the 20 m boundary tolerance
CODES = ["D1", "D2", "D3", "D4", "D5", "D6"]


def district_shape(code: str):
    return shapely.from_wkb(bytes(District.objects.get(code=code).geom.wkb))


@ROUTING
@given(code=st.sampled_from(CODES), u=st.floats(0, 1), v=st.floats(0, 1))
def test_any_point_inside_a_district_routes_to_it(code, u, v):
    shape = district_shape(code)
    min_x, min_y, max_x, max_y = shape.bounds
    x, y = min_x + u * (max_x - min_x), min_y + v * (max_y - min_y)
    assume(shape.buffer(-INSIDE_MARGIN_DEG).contains(shapely.Point(x, y)))
    decision = route_report(category=Category.objects.get(service_code="pothole"), point=Point(x, y, srid=4326))
    assert decision.district.code == code


@ROUTING
@given(lon=st.floats(-180, 180), lat=st.floats(-85, 85))
def test_any_point_far_outside_the_municipality_is_refused(lon, lat):
    home = shapely.from_wkb(bytes(Municipality.objects.get(code="9031").geom.wkb))
    assume(home.distance(shapely.Point(lon, lat)) > FAR_DEG)
    with pytest.raises(OutsideMunicipality):
        route_report(category=Category.objects.get(service_code="pothole"), point=Point(lon, lat, srid=4326))


@settings(max_examples=25, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.filter_too_much, HealthCheck.too_slow])
@given(lon=st.floats(20.0, 26.0), lat=st.floats(38.0, 42.0))
def test_a_report_far_outside_is_a_400_and_stores_nothing(post_report, lon, lat):
    home = shapely.from_wkb(bytes(Municipality.objects.get(code="9031").geom.wkb))
    assume(home.distance(shapely.Point(lon, lat)) > FAR_DEG)
    before = Issue.objects.count()
    response = post_report({"service_code": "pothole", "lat": repr(lat), "long": repr(lon)})
    assert response.status_code == 400
    assert response.json()[0]["description"].startswith("location is outside the Municipality of Thessaloniki")
    assert Issue.objects.count() == before
