"""When the basemap's tiles do not load, maps fall back to the offline basemap drawn from the server's layers."""
import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

# tiles from this server's own origin, at a path that does not exist: every tile fails
WEB_SERVER_ENV = {"BASEMAP_TILES_URL": "/basemap-missing/{z}/{x}/{y}.png"}


def test_failing_tiles_switch_the_map_to_the_offline_basemap(web):
    page = web.page("/", lang="en")
    expect(page.locator("#citizen-map")).to_have_attribute("data-basemap", "offline")
    expect(page.locator("#citizen-map .leaflet-tile-pane img")).to_have_count(0)
    expect(page.locator("#citizen-map path.basemap-district")).to_have_count(6)
    assert any("/basemap-missing/" in url for url in web.requests)


def test_offline_basemap_draws_the_real_coastline_and_credits_its_sources(web):
    page = web.page("/", lang="en")
    expect(page.locator("#citizen-map")).to_have_attribute("data-coastline", "drawn")
    expect(page.locator("#citizen-map path.basemap-land")).to_have_count(1)
    expect(page.locator("#citizen-map path.basemap-sea")).to_have_count(1)
    expect(page.locator("#citizen-map path.basemap-neighbour")).to_have_count(5)
    credits = page.locator("#citizen-map .leaflet-control-attribution")
    expect(credits).to_contain_text("geodata.gov.gr, CC BY 3.0")
    expect(credits).to_contain_text("Land and sea: geodata.gov.gr")
    web.screenshot(page, "offline-basemap-coastline")
