"""Smoke test of the browser harness and the shared page foundations (base template, offline basemap)."""
import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_home_page_draws_the_offline_basemap_in_english_then_greek(web):
    page = web.page("/", lang="en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    map_box = page.locator("#citizen-map")
    expect(map_box).to_have_attribute("data-basemap", "offline")
    # the municipality, its neighbours and the six districts are drawn from the server's own layers
    expect(page.locator("#citizen-map path.basemap-district")).to_have_count(6)
    expect(page.locator("#citizen-map path.basemap-home")).to_have_count(1)
    expect(page.locator(".leaflet-control-attribution")).to_contain_text("Offline basemap")
    web.screenshot(page, "english")

    page.get_by_role("button", name="Ελληνικά").click()
    expect(page.locator("html")).to_have_attribute("lang", "el")
    expect(page.get_by_role("link", name="Τεκμηρίωση API")).to_be_visible()
    expect(page.locator(".leaflet-control-attribution")).to_contain_text("Υπόβαθρο χωρίς σύνδεση")
    expect(page.locator("#citizen-map path.basemap-district")).to_have_count(6)
    web.screenshot(page, "greek")


def test_skip_link_is_the_first_stop_of_the_keyboard_and_moves_focus_to_the_content(web):
    page = web.page("/", lang="en")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()


def test_on_a_phone_the_map_sits_above_the_panel(web):
    page = web.page("/", lang="el", phone=True)
    map_box = page.locator("#citizen-map").bounding_box()
    panel = page.locator(".map-layout__panel").bounding_box()
    assert map_box["width"] <= 390 and panel["y"] >= map_box["y"] + map_box["height"] - 1


def test_no_request_leaves_127_0_0_1_and_an_outside_one_would_be_caught(web):
    page = web.page("/", lang="en")
    expect(page.locator("#citizen-map path.basemap-district")).to_have_count(6)
    assert web.requests and web.requests_leaving_localhost() == []
    # the harness itself: a request to another host (from a blank page, which has no CSP) is refused and reported
    blank = web.page(None)
    blank.evaluate("() => fetch('http://example.invalid/x').catch(() => null)")
    assert web.requests_leaving_localhost() == ["http://example.invalid/x"]
    web.outside_requests.clear()
    web.requests.remove("http://example.invalid/x")
