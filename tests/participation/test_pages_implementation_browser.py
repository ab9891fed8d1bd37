"""The implementation pages in a real browser, under the strict CSP: the city's implementation map draws a project
in its status's colour (its vector tile) and its popup shows the progress; the project's page shows the milestones
in order, with the photo, and the project's place on its map."""
import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def data(web_server) -> dict:
    return web_server.django("from tests.participation import implementation_data\n"
                             "result = implementation_data.build()")


def test_implementation_map_colours_by_status_with_progress_and_the_project_shows_milestones(web, data):
    page = web.page("/participation/implementation/?process=pb-implemented")
    in_progress = page.locator("#implementation-map path.implementation--in_progress")
    expect(in_progress).to_have_count(1)
    expect(page.locator("#implementation-map path.implementation--done")).to_have_count(1)
    assert in_progress.evaluate("e => getComputedStyle(e).fill") == "rgb(178, 107, 0)"  # the legend's colour
    expect(page.locator("#implementation-legend .legend-swatch--in_progress")).to_be_visible()
    in_progress.click()
    popup = page.locator(".leaflet-popup-content")
    expect(popup).to_contain_text("Progress: 40 %")
    assert popup.locator("progress").get_attribute("value") == "40"
    popup.get_by_role("link", name="Open the project").click()
    page.wait_for_url(f"**/participation/projects/{data['in_progress']}/")
    milestones = page.locator("#project-milestones > li")
    expect(milestones).to_have_count(2)
    expect(milestones.nth(0)).to_contain_text("Works began")
    expect(milestones.nth(1)).to_contain_text("Trees planted")
    expect(milestones.nth(0).locator("img")).to_be_visible()
    expect(page.locator("#project-progress-value")).to_have_text("40 %")
    expect(page.locator("#project-map path.implementation--in_progress")).to_have_count(1)
