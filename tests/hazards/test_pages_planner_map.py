"""The planner map in a real browser: a planner clicks a point and reads its hazard profile, the district levels draw
as a choropleth, layers show with their legend and opacity, the area query of a district or a drawn polygon lists
what is exposed, the printable district report draws with nothing from another server, and the 1978 earthquake's
epicentre shows on land."""
import io
import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from core.basemap_surface import extent as basemap_extent
from tests.support.printable_html import linked_assets
from tests.support.staff_accounts import PASSWORD, sign_in, sign_in_for_printable_pages

pytestmark = pytest.mark.browser

PLANNER = "/planner/"
WEB_SERVER_ENV = {"HAZARD_SCENARIO_CELL_M": "100"}  # the scenarios' grid: the same code, fewer cells
FLOOD_CORRIDOR = (40.6470, 22.9170)  # lat, lon: on the western stream, 0.9 m deep for every return period


@pytest.fixture(scope="module")
def planner(web_server):
    web_server.create_user("dora", PASSWORD, planner=True)
    return "dora"


def click_on_map(page, lat: float, lon: float, zoom: int = 15) -> None:
    """Centre the map near the point, then click the point itself with the mouse."""
    x, y = page.evaluate("""([lat, lon, zoom]) => {
        const map = window.plannerPage.map;
        map.setView([lat, lon], zoom, {animate: false});
        const point = map.latLngToContainerPoint([lat, lon]);
        return [point.x, point.y];
    }""", [lat, lon, zoom])
    box = page.locator("#planner-map").bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)


def colours_on_map(page, points: dict[str, tuple[float, float]]) -> dict[str, tuple[int, int, int]]:
    """The colour the planner map shows at each (lat, lon), read from a screenshot of the map."""
    positions = page.evaluate("""(points) => Object.fromEntries(Object.entries(points).map(([name, [lat, lon]]) => {
        const point = window.plannerPage.map.latLngToContainerPoint([lat, lon]);
        return [name, [Math.round(point.x), Math.round(point.y)]];
    }))""", points)
    image = Image.open(io.BytesIO(page.locator("#planner-map").screenshot())).convert("RGB")
    return {name: image.getpixel(tuple(position)) for name, position in positions.items()}


def set_slider(page, selector: str, value: int) -> None:
    """Move a 0–100 slider with the keyboard."""
    page.locator(selector).focus()
    page.keyboard.press("Home")
    for _ in range(value):
        page.keyboard.press("ArrowRight")
    expect(page.locator(selector)).to_have_value(str(value))


def fill_opacity(path) -> float:
    return float(path.get_attribute("fill-opacity"))


def profile_row(page, layer: str):
    return page.locator(f'#profile-table tr[data-layer="{layer}"]')


def test_a_planner_clicks_a_point_and_reads_its_hazard_profile(web, planner):
    page = sign_in(web, PLANNER, planner)
    expect(page.locator("#layer-list .layer-item")).to_have_count(9)
    click_on_map(page, *FLOOD_CORRIDOR)
    expect(page.locator("#profile-table tbody tr")).to_have_count(9)
    flood = profile_row(page, "flood-t50")
    expect(flood).to_have_attribute("data-level", "high")
    expect(flood.locator("td").first).to_have_text("0.9 m")
    expect(flood.locator("td").last).to_have_text("High")
    # inside the coastal study's coverage, outside its zones: not affected, level none
    expect(profile_row(page, "coastal-50cm").locator("td").first).to_have_text("not affected here")
    expect(profile_row(page, "coastal-50cm")).to_have_attribute("data-level", "none")
    expect(profile_row(page, "urban-heat")).to_have_attribute("data-level", "very_low")
    expect(page.locator("#profile-point")).to_have_text(re.compile(r"^At 40\.647\d\d, 22\.91[67]\d\d$"))  # a pixel's precision
    web.screenshot(page, "profile")
    assert any(re.search(r"/api/hazards/profile\?lat=40\.647\d+&lon=22\.91[67]\d+$", url) for url in web.requests)


def test_the_profile_in_greek_with_the_keyboard_only(web, planner):
    page = sign_in(web, PLANNER, planner, lang="el")
    page.evaluate("([lat, lon]) => window.plannerPage.map.setView([lat, lon], 15, {animate: false})", list(FLOOD_CORRIDOR))
    button = page.get_by_role("button", name="Κίνδυνοι στο κέντρο του χάρτη")
    button.focus()
    page.keyboard.press("Enter")
    flood = profile_row(page, "flood-t100")
    expect(flood.locator("th")).to_have_text("Πλημμύρα, περίοδος επαναφοράς 100 ετών")
    expect(flood.locator("td").first).to_have_text("0,9 m")
    expect(flood.locator("td").last).to_have_text("Υψηλό")


def test_the_district_levels_draw_as_a_choropleth(web, planner):
    page = sign_in(web, PLANNER, planner)
    page.select_option("#choropleth-kind", "earthquake")
    expect(page.locator("#planner-map path.choropleth-district")).to_have_count(6)
    expect(page.locator("#planner-map path.choropleth--high")).to_have_count(6)  # the whole city is in Zone II
    page.select_option("#choropleth-kind", "flood")
    expect(page.locator("#planner-map path.choropleth--high")).to_have_count(1)  # the stream corridor's district
    expect(page.locator('#choropleth-legend li[data-level="high"]')).to_have_text("High: D2")
    expect(page.locator("#choropleth-rule")).to_contain_text("ThinkHazard!-style")
    page.select_option("#choropleth-kind", "")
    expect(page.locator("#planner-map path.choropleth-district")).to_have_count(0)


def test_layers_show_with_their_legend_and_opacity(web, planner):
    page = sign_in(web, PLANNER, planner)
    page.get_by_role("checkbox", name="Flood, 100-year return period").check()
    zones = page.locator("#planner-map .leaflet-hazards-pane path.zone")
    expect(zones.first).to_be_visible()
    legend = page.locator("#layer-flood-t100-legend li")
    expect(legend).to_have_count(5)
    expect(legend.first).to_have_text("High: ≥ 0.5 m")
    expect(legend.last).to_have_text("No data")
    assert fill_opacity(zones.first) == pytest.approx(0.7 * 0.8)
    set_slider(page, "#layer-flood-t100-opacity", 25)
    assert fill_opacity(zones.first) == pytest.approx(0.25 * 0.8)
    page.get_by_role("checkbox", name="Flood, 100-year return period").uncheck()
    expect(zones).to_have_count(0)

    page.get_by_role("checkbox", name="Peak ground acceleration (475 years)").check()
    tiles = page.locator("#planner-map .hazard-tiles--pga-475 img.leaflet-tile-loaded")
    expect(tiles.first).to_be_visible()
    assert page.evaluate("img => img.naturalWidth", tiles.first.element_handle()) == 256
    assert any(re.search(r"/api/hazards/pga-475/tiles/\d+/\d+/\d+\.png$", url) for url in web.requests)
    set_slider(page, "#layer-pga-475-opacity", 40)
    expect(page.locator("#planner-map .hazard-tiles--pga-475")).to_have_css("opacity", "0.4")


def test_the_area_query_of_a_district_lists_what_is_exposed(web, planner):
    page = sign_in(web, PLANNER, planner)
    expect(page.locator("#exposure-layer option")).to_have_count(8)
    page.select_option("#exposure-layer", "pga-475")
    page.select_option("#area-district", "D1")
    expect(page.locator("#area-heading")).to_contain_text("District D1:")
    expect(page.locator("#area-table tbody tr")).to_have_count(8)
    heritage = page.locator('#exposure-table tr[data-collection="heritage-sites"] td')
    expect(heritage.first).not_to_have_text("0")  # heritage sites of the centre, at the high PGA level
    expect(page.locator('#exposure-table tr[data-collection="residents"]')).to_be_visible()
    expect(page.locator("#exposed-list")).to_contain_text("White Tower")
    expect(page.locator("#district-report-link")).to_have_attribute("href", "/planner/districts/D1/report")


def test_the_area_query_of_a_drawn_polygon(web, planner):
    page = sign_in(web, PLANNER, planner)
    page.evaluate("() => window.plannerPage.map.setView([40.6300, 22.9480], 14, {animate: false})")
    page.get_by_role("button", name="Draw a polygon").click()
    finish = page.get_by_role("button", name="Finish the polygon")
    expect(finish).to_be_disabled()
    box = page.locator("#planner-map").bounding_box()
    for fx, fy in [(0.35, 0.35), (0.65, 0.35), (0.65, 0.65), (0.5, 0.8)]:
        page.mouse.click(box["x"] + box["width"] * fx, box["y"] + box["height"] * fy)
    page.get_by_role("button", name="Undo last corner").click()  # the fourth corner goes
    page.mouse.click(box["x"] + box["width"] * 0.35, box["y"] + box["height"] * 0.65)
    finish.click()
    expect(page.locator("#area-heading")).to_contain_text("Drawn area:")
    expect(page.locator("#area-table tbody tr")).to_have_count(8)
    expect(page.locator("#exposure-table")).to_be_visible()
    expect(page.locator('#exposure-table tr[data-collection="residents"]')).to_have_count(0)
    expect(page.locator("#exposure-result")).to_contain_text("Residents are counted for districts only.")
    expect(page.locator("#planner-map path.draw-area")).to_have_count(1)


def test_the_printable_district_report_draws_with_nothing_from_another_server(web, planner):
    page = sign_in_for_printable_pages(web, planner)
    answer = page.request.get("/planner/districts/D1/report")
    assert answer.status == 200
    assets = linked_assets(answer.text())
    assert assets and all(url.startswith(web.server.url + "/static/") for url in assets), assets
    page.goto("/planner/districts/D1/report")
    expect(page.locator("h1")).to_have_text("Hazard and exposure report: 1st District – Historic Centre (D1)")
    expect(page.locator(".folium-map path.leaflet-interactive").first).to_be_visible()  # the exposed features
    expect(page.locator(".folium-map img.leaflet-tile-loaded").first).to_be_visible()  # the PGA tiles, from here
    expect(page.locator("#layer-shares tbody tr")).to_have_count(8)
    web.screenshot(page, "district-report")
    # the monuments at risk, the planners' other printable page (heritage's), drawn the same way
    monuments = web.server.django("from heritage.models import Monument\nfrom layers.models import HeritageSite\n"
                                  "Monument.objects.bulk_create([Monument(site=s) for s in HeritageSite.objects.all()], "
                                  "ignore_conflicts=True)\nresult = Monument.objects.count()")
    page.goto("/planner/heritage/at-risk/?hazard=earthquake")
    expect(page.locator("#monuments-at-risk tbody tr")).to_have_count(monuments)
    expect(page.locator(".folium-map path.leaflet-interactive")).to_have_count(monuments)  # a circle per monument
    web.screenshot(page, "monuments-at-risk")
    assert web.requests_leaving_localhost() == []


def test_a_planner_runs_the_1978_scenario_and_reads_the_district_table(web, planner):
    page = sign_in(web, PLANNER, planner)
    page.locator("#part-scenario summary").click()
    page.locator("#scenario-preset").select_option("thessaloniki-1978")
    expect(page.locator("#scenario-lon")).to_have_value("23.300")
    page.get_by_role("button", name="Run the scenario").click()
    expect(page.locator("#scenario-title")).to_have_text("1978 Thessaloniki earthquake")
    expect(page.locator("#scenario-districts tbody tr")).to_have_count(6)
    expect(page.locator("#scenario-legend li")).to_have_count(5)
    expect(page.locator("#scenario-observed")).to_contain_text("4.5 % red")
    expect(page.locator('#scenario-exposure ol[data-collection="heritage-sites"] li').first).to_contain_text("at least moderate damage")
    expect(page.locator(".hazard-tiles").last).to_be_attached()
    expect(page.locator("#scenario-list li")).to_have_count(1)
    web.screenshot(page, "scenario")
    page.locator("#scenario-list li").get_by_role("button", name="Delete").click()
    expect(page.locator("#scenario-list li")).to_have_text("No saved scenarios yet.")


LAND = (0xE9, 0xE6, 0xDC)  # core/map.css: .basemap-land
SEA = (0xDB, 0xE7, 0xEF)  # .basemap-sea


def test_the_1978_preset_shows_its_epicentre_on_land_and_no_sea_beyond_the_basemap_s_data(web, planner):
    page = sign_in(web, PLANNER, planner)
    expect(page.locator("#planner-map")).to_have_attribute("data-coastline", "drawn")
    page.locator("#part-scenario summary").click()
    page.locator("#scenario-preset").select_option("thessaloniki-1978")
    expect(page.locator("#planner-map path.scenario-epicentre")).to_be_attached()
    page.wait_for_function("() => window.plannerPage.map.getZoom() === 10")
    page.wait_for_timeout(400)  # the zoom animation's last frame
    epicentre = (40.6, 23.3)  # the preset's; the marker is 9 px wide: read the map 15 px around it
    lat, lon = epicentre
    step = 15 / 256 * 360 / 2 ** 10  # 15 px in degrees of longitude at zoom 10
    colours = colours_on_map(page, {
        "west": (lat, lon - step), "east": (lat, lon + step), "north": (lat + step * 0.76, lon),
        "south": (lat - step * 0.76, lon), "Thermaic gulf": (40.55, 22.85)})
    web.screenshot(page, "scenario-epicentre-on-land")
    assert colours == {"west": LAND, "east": LAND, "north": LAND, "south": LAND, "Thermaic gulf": SEA}
    background = page.locator("#planner-map").evaluate("box => getComputedStyle(box).backgroundImage")
    assert background.startswith("repeating-linear-gradient")  # beyond the data: the "no data" hatch, not sea
    bounds = page.evaluate("() => window.plannerPage.map.options.maxBounds.toBBoxString()")
    assert bounds == ",".join(str(edge) for edge in basemap_extent())  # the map stays inside the data


def test_the_scenario_panel_in_greek_places_the_epicentre_with_a_click_and_refuses_bad_input(web, planner):
    page = sign_in(web, PLANNER, planner, lang="el")
    page.locator("#part-scenario summary").click()
    page.get_by_role("button", name="Τοποθετήστε το επίκεντρο στον χάρτη").click()
    click_on_map(page, 40.70, 23.05, zoom=11)
    expect(page.locator("#scenario-lat")).to_have_value("40.700")
    page.locator("#scenario-magnitude").fill("4.2")
    page.get_by_role("button", name="Εκτέλεση του σεναρίου").click()
    expect(page.locator("#scenario-message")).to_contain_text("το μέγεθος 4.2 είναι εκτός του εύρους του μοντέλου, Mw 5 έως 7.6")
    page.locator("#scenario-magnitude").fill("6.0")
    page.get_by_role("button", name="Εκτέλεση του σεναρίου").click()
    expect(page.locator("#scenario-districts tbody tr")).to_have_count(6)
    expect(page.locator("#scenario-districts caption")).to_have_text("Δημοτικές κοινότητες: δόνηση και αναμενόμενες βλάβες (σχετικές, χωρίς βαθμονόμηση)")
