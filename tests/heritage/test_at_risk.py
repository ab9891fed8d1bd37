"""Heritage at risk: monuments ranked by a hazard's level at them and in their district, and by the probability of at
least moderate damage in an earthquake scenario; the API's refusals."""
import numpy as np
import pytest
from django.contrib.gis.geos import MultiPolygon, Point
from django.test import Client

from hazards.models import HazardLayer, HazardZone
from hazards.scenarios.services import scenario_inputs, scenario_run
from heritage.at_risk import shaking_and_damage
from heritage.models import Monument, MonumentStructure
from layers.models import HeritageSite
from tests.support.staff_accounts import staff_accounts

pytestmark = pytest.mark.django_db
URL = "/api/heritage/at-risk/"


@pytest.fixture
def monuments():
    Monument.objects.bulk_create([Monument(site=site) for site in HeritageSite.objects.all()])
    return {m.site.slug: m for m in Monument.objects.select_related("site")}


@pytest.fixture
def planner(django_user_model):
    client = Client()
    client.force_login(staff_accounts(django_user_model, ("planner",))["planner"])
    return client


def _square_around(point: Point, metres: float) -> MultiPolygon:
    d = metres / 111_000
    return MultiPolygon(Point(point.x, point.y, srid=4326).buffer(d), srid=4326)


def test_monuments_are_ranked_by_their_level_then_their_district(monuments, client):
    layer = HazardLayer.objects.create(
        slug="landslide-test", kind="landslide", title_el="Κατολίσθηση", title_en="Landslide", provenance="test",
        licence="test", units="index", threshold_very_low=1, threshold_low=2, threshold_medium=3, threshold_high=4,
        source="vector")
    rotunda, tower = monuments["rotunda"].site, monuments["white-tower"].site
    HazardZone.objects.create(layer=layer, level="high", value=4.5, geom=_square_around(rotunda.geom, 30))
    HazardZone.objects.create(layer=layer, level="low", value=2.2, geom=_square_around(tower.geom, 30))

    body = client.get(URL, {"hazard": "landslide"}).json()

    ranked = body["monuments"]
    assert [m["site"] for m in ranked[:2]] == ["rotunda", "white-tower"]
    assert [(m["rank"], m["level"], m["value"]) for m in ranked[:2]] == [(1, "high", 4.5), (2, "low", 2.2)]
    assert {m["level"] for m in ranked[2:]} == {"none"} and len(ranked) == len(monuments)
    # past the monuments' own levels, those in a district at a worse level come first
    district_ranks = [["no_data", "none", "very_low", "low", "medium", "high"].index(m["district_level"]) for m in ranked[2:]]
    assert district_ranks == sorted(district_ranks, reverse=True)
    assert "footprint" in body["method"]


def test_the_scenario_probability_of_damage_rises_with_shaking(monuments, planner, settings):
    settings.HAZARD_SCENARIO_CELL_M = 500
    inputs, name, preset = scenario_inputs({"preset": "thessaloniki-1978"})
    scenario, done = scenario_run(inputs=inputs, name=name, preset=preset, cell_m=500)
    assert done
    MonumentStructure.objects.create(monument=monuments["white-tower"], building_class="rc-modern-post1985")

    body = planner.get(URL, {"scenario": scenario.pk}).json()

    ranked = body["monuments"]
    masonry = [m for m in ranked if m["building_class"] == "urm-pre1960"]
    assert len(masonry) == len(monuments) - 1 and all(m["building_class_assumed"] for m in masonry)
    # among monuments of one class, the ranking by probability is the ranking by shaking
    assert [m["pga_g"] for m in masonry] == sorted((m["pga_g"] for m in masonry), reverse=True)
    assert masonry[0]["p_at_least_moderate"] > masonry[-1]["p_at_least_moderate"] > 0
    tower = next(m for m in ranked if m["site"] == "white-tower")
    assert tower["building_class"] == "rc-modern-post1985" and not tower["building_class_assumed"]
    assert [m["rank"] for m in ranked] == list(range(1, len(ranked) + 1))
    assert "unreinforced masonry" in body["method"]
    # the district's printable hazard report has a section of its monuments, in this scenario too
    report = planner.get(f"/planner/districts/{tower['district']}/report", {"layer": "pga-475"}).content.decode()
    section = report[report.index('id="monuments-at-risk"'):]
    assert "Λευκός Πύργος" in section and scenario.name in section and 'id="district-monuments-hazard"' in section
    probabilities = [shaking_and_damage(pga, "urm-pre1960").p_at_least_moderate for pga in np.linspace(0.02, 0.8, 30)]
    assert probabilities == sorted(probabilities) and probabilities[0] < 0.01 < 0.9 < probabilities[-1]


def test_an_unknown_hazard_is_refused_with_the_hazards_to_choose(client):
    response = client.get(URL, {"hazard": "volcano"})
    assert response.status_code == 400
    body = response.json()
    assert body["parameter"] == "hazard" and "volcano" in body["message"] and "flood" in body["message"]


def test_an_unknown_scenario_is_not_found(planner, client):
    response = planner.get(URL, {"scenario": 987654})
    assert response.status_code == 404
    assert response.json()["parameter"] == "scenario" and "987654" in response.json()["message"]
    assert client.get(URL, {"scenario": 987654}).status_code == 403  # scenarios are for planners


def test_the_planners_printable_page_ranks_the_monuments_with_its_method(monuments, planner, client):
    page = planner.get("/planner/heritage/at-risk/", {"hazard": "earthquake"})
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="monuments-at-risk"' in html and 'id="method"' in html and "/planner/heritage/at-risk/" in planner.get("/planner/").content.decode()
    assert planner.get("/planner/heritage/at-risk/", {"hazard": "volcano"}).status_code == 400
    assert client.get("/planner/heritage/at-risk/").status_code == 302  # anonymous: to the sign-in page
