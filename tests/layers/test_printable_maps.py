"""Printable maps made by folium: every asset from this server, the site's basemap, escaped tooltips, and the one
list of views that run inline scripts."""
import folium
import pytest
from django.test import RequestFactory
from django.urls import resolve

from layers.inline_scripts import MARKED
from layers.printable_maps import map_parts, printable_map, tooltip_text
from tests.printable_html import linked_assets

pytestmark = pytest.mark.django_db


def rendered(settings, tiles_url: str) -> str:
    settings.BASEMAP_TILES_URL = tiles_url
    settings.ALLOWED_HOSTS = ["gis.example.org"]
    request = RequestFactory().get("/", HTTP_HOST="gis.example.org")
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
    assert html.count("L.geoJson(") == 2 and '"home": true' in html


def test_with_a_tile_server_the_map_uses_it(settings):
    html = rendered(settings, "https://tiles.example.org/{z}/{x}/{y}.png")
    assert 'L.tileLayer(\n                "https://tiles.example.org/{z}/{x}/{y}.png"' in html
    assert "L.geoJson(" not in html


def test_tooltip_text_cannot_break_out_of_html_or_folium_s_javascript_string():
    text = tooltip_text("<img src=x onerror=alert(1)>", "`${document.cookie}`", "back\\slash")
    assert "<img" not in text and "`" not in text and "${" not in text and "\\" not in text
    assert text.startswith("&lt;img src=x onerror=alert(1)&gt;<br>")


def test_the_folium_views_are_the_only_ones_marked_as_running_inline_scripts():
    assert resolve("/staff/figures/map").func.runs_inline_scripts is True
    assert resolve("/planner/districts/D1/report").func.runs_inline_scripts is True
    for path in ["/staff/", "/staff/queue/roads-pavements/", "/staff/figures/", "/planner/"]:
        assert not getattr(resolve(path).func, "runs_inline_scripts", False), path
    assert sorted(MARKED) == ["hazards.pages.report.district_report_page", "issues.pages.figures.figures_map"]
