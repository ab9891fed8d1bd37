"""The city's own basemap from a local MBTiles file: the maps draw its tiles, served by this server (images stay
'self' in the Content-Security-Policy), and never ask another host."""
import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.support.mbtiles import make_mbtiles

pytestmark = pytest.mark.browser

_FOLDER = Path(tempfile.mkdtemp(prefix="gis-mbtiles-"))
make_mbtiles(_FOLDER / "city.mbtiles")
WEB_SERVER_ENV = {"BASEMAP_MBTILES": str(_FOLDER / "city.mbtiles"), "BASEMAP_ATTRIBUTION": "Test basemap of the city"}


def test_maps_draw_the_local_mbtiles_basemap(web, web_server):
    page = web.page("/", lang="en")
    expect(page.locator("#citizen-map")).to_have_attribute("data-basemap", "tiles")
    tiles = page.locator("#citizen-map .leaflet-tile-pane img.leaflet-tile-loaded")
    expect(tiles.first).to_be_attached()
    sources = tiles.evaluate_all("images => images.map(i => i.src)")
    assert sources and all(s.startswith(web_server.url + "/basemap/tiles/") for s in sources)
    assert tiles.first.evaluate("image => image.naturalWidth") == 256
    expect(page.locator("#citizen-map .leaflet-control-attribution")).to_contain_text("Test basemap of the city")
    assert web.requests_leaving_localhost() == []


def test_the_csp_keeps_images_to_this_server(web, web_server):
    page = web.page("/", lang="en")
    response = page.request.get(web_server.url + "/")
    img_src = next(d for d in response.headers["content-security-policy"].split(";") if d.strip().startswith("img-src"))
    assert img_src.split()[1:] == ["'self'", "data:", "blob:"]


def test_beyond_the_file_s_tiles_the_map_shows_the_no_data_hatch_not_sea(web):
    page = web.page("/", lang="en")
    expect(page.locator("#citizen-map .leaflet-tile-pane img.leaflet-tile-loaded").first).to_be_attached()
    background = page.locator("#citizen-map").evaluate("box => getComputedStyle(box).background")
    assert "repeating-linear-gradient" in background and "219, 231, 239" not in background  # not the sea's #dbe7ef
