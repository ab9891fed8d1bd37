"""The planners' pages without a browser: who may open them, what the planner map hands its script, the printable
district hazard and exposure report (its figures, its layer choice, its errors), Greek and English."""
import json
import re

import pytest
from django.test import Client

from layers.models import District
from tests.support.printable_html import linked_assets
from tests.support.staff_accounts import staff_accounts

pytestmark = pytest.mark.django_db

PAGES = ["/planner/", "/planner/districts/D1/report"]


@pytest.fixture
def people(django_user_model):
    return staff_accounts(django_user_model, ("roads_staff", "roads_manager", "planner", "admin"))


def client_for(people, role, lang="en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=lang)
    client.force_login(people[role])
    return client


@pytest.mark.parametrize("path", PAGES)
def test_anonymous_visitors_are_sent_to_the_sign_in_page(path):
    response = Client().get(path)
    assert response.status_code == 302 and response["Location"] == f"/accounts/login/?next={path}"


@pytest.mark.parametrize("role, expected", [("roads_staff", 403), ("roads_manager", 403), ("planner", 200), ("admin", 200)])
@pytest.mark.parametrize("path", PAGES)
def test_only_planners_and_administrators_open_the_planner_pages(people, role, expected, path):
    response = client_for(people, role).get(path)
    assert response.status_code == expected
    if expected == 403:
        assert "The planner map is for civil-protection planners and administrators." in response.content.decode()


def test_the_planner_map_tells_its_script_where_the_hazard_api_is(people):
    html = client_for(people, "planner").get("/planner/").content.decode()
    config = json.loads(re.search(r'<script id="page-config" type="application/json">(.*?)</script>', html, re.S).group(1))
    assert config["tileUrl"] == "/api/hazards/{layer}/tiles/{z}/{x}/{y}.png"
    assert config["legendUrl"] == "/api/hazards/{layer}/legend"
    assert config["zonesUrl"] == "/ogc/collections/hazard-zones/items"
    assert config["reportUrl"] == "/planner/districts/{district}/report"
    assert '<option value="D1">1st District – Historic Centre</option>' in html
    assert '<option value="earthquake">Earthquake</option>' in html


def test_the_planner_map_in_greek_and_english(people):
    english = client_for(people, "planner", "en").get("/planner/").content.decode()
    greek = client_for(people, "planner", "el").get("/planner/").content.decode()
    assert "Planner map" in english and "Draw a polygon" in english and "Hazards at a point" in english
    assert "Χάρτης σχεδιασμού" in greek and "Σχεδίαση πολυγώνου" in greek and "Κίνδυνοι σε ένα σημείο" in greek
    assert '<option value="earthquake">Σεισμός</option>' in greek


# --- the printable district report (folium) ----------------------------------------------------------

def test_the_report_maps_the_layer_that_puts_the_district_at_its_worst_level(people):
    html = client_for(people, "planner").get("/planner/districts/D1/report").content.decode()
    assert "Hazard and exposure report: 1st District – Historic Centre (D1)" in html
    assert "Map: Peak ground acceleration (475 years)" in html  # the first layer at "high" in the centre
    levels = html[html.index('id="district-levels"'):html.index("</table>", html.index('id="district-levels"'))]
    assert re.search(r"Earthquake</th><td><span class=\"swatch level--high\"></span>High", levels)


def test_the_report_counts_residents_and_lists_exposed_features(people):
    html = client_for(people, "planner").get("/planner/districts/D1/report").content.decode()
    population = District.objects.get(code="D1").population
    residents = html[html.index('id="residents"'):]
    # the whole district is at the high PGA level: every resident counts as exposed, area-weighted
    assert re.search(rf"Peak ground acceleration \(475 years\)</th><td class=\"number\">{population}</td>", residents)
    exposed = html[html.index('id="exposed-features"'):]
    assert "White Tower" in exposed and "Heritage sites" in exposed


def test_the_report_of_a_chosen_layer_and_its_links_to_the_others(people):
    html = client_for(people, "planner").get("/planner/districts/D2/report", {"layer": "flood-t100"}).content.decode()
    assert "Map: Flood, 100-year return period" in html
    assert 'href="?layer=urban-heat"' in html and 'href="?layer=flood-t100"' not in html


def test_the_report_loads_nothing_from_another_server(people):
    html = client_for(people, "planner").get("/planner/districts/D1/report", {"layer": "urban-heat"}).content.decode()
    assert all(url.startswith("http://testserver/static/") for url in linked_assets(html)), linked_assets(html)
    # the raster layer's tiles come from this server too
    assert '"http://testserver/api/hazards/urban-heat/tiles/{z}/{x}/{y}.png"' in html


def test_the_report_in_greek(people):
    html = client_for(people, "planner", "el").get("/planner/districts/D1/report").content.decode()
    assert '<html lang="el">' in html and "Αναφορά κινδύνων και έκθεσης" in html and "Κάτοικοι σε κάθε επίπεδο" in html


def test_an_unknown_layer_is_a_400_that_names_the_layers(people):
    response = client_for(people, "planner").get("/planner/districts/D1/report", {"layer": "tsunami"})
    assert response.status_code == 400
    assert "layer: no hazard layer &#x27;tsunami&#x27;; one of coastal-100cm" in response.content.decode()


def test_an_unknown_district_is_a_404_that_names_the_districts(people):
    response = client_for(people, "planner").get("/planner/districts/D9/report")
    assert response.status_code == 404
    assert "district: no district &#x27;D9&#x27;; one of D1, D2, D3, D4, D5, D6" in response.content.decode()


def test_the_report_includes_the_district_line_of_each_earthquake_scenario(people, settings):
    settings.HAZARD_SCENARIO_CELL_M = 200
    planner = client_for(people, "planner")
    scenario = planner.post("/api/hazards/scenarios", {"preset": "thessaloniki-1978"}, content_type="application/json").json()
    d3 = next(d for d in scenario["results"]["districts"] if d["district"] == "D3")
    html = planner.get("/planner/districts/D3/report").content.decode()
    table = html[html.index('id="scenario-damage"'):]
    table = table[:table.index("</table>")]
    assert "1978 Thessaloniki earthquake" in table and "relative and uncalibrated" in table
    expected = sum(d3["buildings"]["expected"][s] for s in ("moderate", "extensive", "complete"))
    assert f'<td class="number">{expected}</td>' in table
    assert f"{d3['pga_g']['mean']:.3f}" in table
    greek = client_for(people, "planner", "el").get("/planner/districts/D3/report").content.decode()
    assert "<h2>Σενάρια σεισμού</h2>" in greek
