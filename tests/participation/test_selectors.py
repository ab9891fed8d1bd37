"""Participation's reads shared by the API and the pages: open reports near a proposal measured in true metres."""
import pytest
from django.contrib.gis.geos import GEOSGeometry
from django.db import connection

from issues.models import Category
from issues.services.reporting import issue_report
from participation.selectors import nearby_reports, proposal_for_page
from participation.services.proposals import proposal_create

from .conftest import inside_point, make_process

pytestmark = pytest.mark.django_db


def point_at(origin: GEOSGeometry, *, metres: float, bearing_degrees: float) -> GEOSGeometry:
    """The point `metres` from origin along the bearing, on the ellipsoid (PostGIS's ST_Project)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT ST_AsText(ST_Project(ST_GeomFromText(%s, 4326)::geography, %s, radians(%s))::geometry)",
                       [origin.wkt, metres, bearing_degrees])
        return GEOSGeometry(cursor.fetchone()[0], srid=4326)


def test_nearby_reports_are_measured_in_true_metres(settings, resident):
    """With a 300 m radius, reports 290 m away are found in every direction (north, where a degree is longest, and
    east, where it is shortest) and one 310 m away is not; each with its distance."""
    settings.PARTICIPATION_NEARBY_REPORTS_METRES = 300
    centre = inside_point("D1")
    pothole = Category.objects.get(service_code="pothole")
    north = issue_report(category=pothole, point=point_at(centre, metres=290, bearing_degrees=0), actor="test").issue
    east = issue_report(category=pothole, point=point_at(centre, metres=290, bearing_degrees=90), actor="test").issue
    beyond = issue_report(category=pothole, point=point_at(centre, metres=310, bearing_degrees=45), actor="test").issue
    proposal = proposal_create(process=make_process(), author=resident("D1"), title="Bench", body="A bench here",
                               place=centre, publish=True)

    found = {r["id"]: r["metres"] for r in nearby_reports(proposal)}

    assert set(found) == {north.id, east.id} and beyond.id not in found
    assert found[north.id] == pytest.approx(290, abs=0.5) and found[east.id] == pytest.approx(290, abs=0.5)
    page = proposal_for_page(proposal.id)
    assert [r["id"] for r in page.nearby_reports] == sorted(found, key=lambda i: (found[i], i))
