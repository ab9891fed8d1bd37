"""Printable maps made by folium: every asset from this server, the site's basemap, escaped tooltips, and the one
inline script and styles allowed by this response's nonce only."""
import folium
import pytest
from django.test import RequestFactory
from django.contrib.auth.models import User

from core.printable_maps import map_parts, tooltip_text
from layers.printable_basemap import printable_map
from tests.support.printable_html import linked_assets

pytestmark = pytest.mark.django_db


def rendered(settings, tiles_url: str) -> str:
    settings.BASEMAP_TILES_URL = tiles_url
    settings.ALLOWED_HOSTS = ["gis.example.org"]
    request = RequestFactory().get("/", HTTP_HOST="gis.example.org")
    request.csp_nonce = "n0nce"
    fmap = printable_map(request, bounds=(22.90, 40.58, 23.00, 40.66))
    folium.CircleMarker([40.63, 22.94], radius=5, tooltip=tooltip_text("a point")).add_to(fmap)
    parts = map_parts(request, fmap)
    return parts["map_header"] + parts["map_html"] + parts["map_script"]


def test_folium_assets_are_this_server_s_files_and_nothing_else(settings):
    html = rendered(settings, "")
    assert linked_assets(html) == ["http://gis.example.org/static/leaflet/leaflet.js",
                                   "http://gis.example.org/static/leaflet/leaflet.css"]
    for cdn_asset in ["jquery", "bootstrap", "awesome-markers", "fontawesome", "cdn.jsdelivr", "cdnjs"]:
        assert cdn_asset not in html.lower()


def test_without_a_tile_server_the_map_draws_the_municipalities_and_districts(settings):
    html = rendered(settings, "")
    assert "L.tileLayer" not in html
    assert html.count("L.geoJson(") == 3 and '"home": true' in html  # land and sea, municipalities, districts
    assert '"attribution": "Land and sea: geodata.gov.gr, CC BY 3.0"' in html


def test_without_a_tile_server_the_map_draws_sea_only_where_the_data_says_so(settings):
    html = rendered(settings, "")
    assert '"kind": "sea"' in html and '"kind": "land"' in html
    assert '"fillColor": "#dbe7ef"' in html  # the sea's colour, on the sea feature only: no map background is sea


def test_with_a_tile_server_the_map_uses_it(settings):
    html = rendered(settings, "https://tiles.example.org/{z}/{x}/{y}.png")
    assert 'L.tileLayer(\n                "https://tiles.example.org/{z}/{x}/{y}.png"' in html
    assert "L.geoJson(" not in html


def test_tooltip_text_cannot_break_out_of_html_or_folium_s_javascript_string():
    text = tooltip_text("<img src=x onerror=alert(1)>", "`${document.cookie}`", "back\\slash")
    assert "<img" not in text and "`" not in text and "${" not in text and "\\" not in text
    assert text.startswith("&lt;img src=x onerror=alert(1)&gt;<br>")


def test_folium_tags_carry_the_nonce(settings):
    html = rendered(settings, "")
    assert "<script" in html and "<style" in html
    assert html.count("<script") == html.count('<script nonce="n0nce"')
    assert html.count("<style") == html.count('<style nonce="n0nce"')


def test_only_the_folium_pages_allow_inline_code_and_only_by_their_nonce(client):
    client.force_login(User.objects.create_superuser("printer", password="a long password 1"))
    for path in ["/staff/figures/map", "/planner/districts/D1/report"]:
        response = client.get(path)
        assert response.status_code == 200, path
        policy = response["Content-Security-Policy"]
        nonce = policy.split("'nonce-")[1].split("'")[0]
        assert f"script-src 'self' 'nonce-{nonce}'" in policy and "unsafe-inline" not in policy
        page = response.content.decode()
        assert page.count("<script>") == 0 and page.count(f'<script nonce="{nonce}"') >= 1
    for path in ["/", "/staff/", "/staff/figures/", "/planner/"]:
        response = client.get(path)
        assert response.status_code == 200, path
        assert "nonce-" not in response["Content-Security-Policy"], path
