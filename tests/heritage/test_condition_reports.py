"""Condition reports: residents' reports of damage to a monument, routed to the Culture Directorate, attached to the
monument by place or by its chosen `monument` field, and shown with their count to staff only."""
import pytest
from django.contrib.gis.geos import Point
from django.template import Context, Template
from django.test import Client, RequestFactory

from django.contrib.auth.models import AnonymousUser
from heritage.models import Monument
from heritage.selectors import condition_reports_for
from issues.models import Category
from issues.services.reporting import issue_report
from layers.models import HeritageSite
from tests.support.staff_accounts import staff_accounts

pytestmark = pytest.mark.django_db
INCLUDE = Template('{% include "heritage/includes/condition_reports.html" %}')


@pytest.fixture
def rotunda_reports():
    site = HeritageSite.objects.get(slug="rotunda")
    monument = Monument.objects.create(site=site)
    damage = Category.objects.get(service_code="monument-damage")
    at_site = issue_report(category=damage, point=Point(site.geom.x + 0.0002, site.geom.y, srid=4326), actor="test",
                           description="A crack over the west door")  # about 17 m east
    far_but_named = issue_report(category=damage, point=Point(22.9445, 40.6320, srid=4326), actor="test",
                                 description="Graffiti on the apse", attributes={"monument": "rotunda"})
    issue_report(category=damage, point=Point(22.9445, 40.6320, srid=4326), actor="test", description="Another monument")
    issue_report(category=Category.objects.get(service_code="pothole"), point=site.geom, actor="test")  # not damage
    return monument, {at_site.issue.pk, far_but_named.issue.pk}


def _rendered(monument, user) -> str:
    request = RequestFactory().get("/heritage/monuments/rotunda/")
    request.user = user
    return INCLUDE.render(Context({"monument": monument, "request": request}))


def test_condition_reports_are_routed_to_culture_and_shown_to_staff_only(rotunda_reports, django_user_model):
    monument, expected = rotunda_reports
    reports = condition_reports_for(monument)
    assert {r.pk for r in reports} == expected and {r.department.slug for r in reports} == {"culture"}

    accounts = staff_accounts(django_user_model, ("planner", "roads_staff", "nobody"))
    shown = _rendered(monument, accounts["planner"])
    assert 'id="condition-reports"' in shown and "(2)" in shown and "A crack over the west door" in shown
    for user in (AnonymousUser(), accounts["nobody"]):
        assert "condition-reports" not in _rendered(monument, user)
    # staff of another department see the section, but none of the culture department's reports
    roads = _rendered(monument, accounts["roads_staff"])
    assert "(0)" in roads and "west door" not in roads
    # on the monument's page: the planner sees them, a resident does not
    path = f"/heritage/monuments/{monument.pk}/"
    planner = Client()
    planner.force_login(accounts["planner"])
    assert "A crack over the west door" in planner.get(path).content.decode()
    resident = Client().get(path)
    assert resident.status_code == 200 and "condition-reports" not in resident.content.decode()
