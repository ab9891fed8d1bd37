"""A meeting in a real browser on a phone, under the strict CSP: a resident finds it full, takes a place on the
waiting list, and moves up when the one registered cancels from their own phone."""
import pytest
from playwright.sync_api import expect

from .test_pages_participation import sign_in

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def scene(web_server) -> dict:
    return web_server.django("from tests.participation import pages_data\nresult = pages_data.full_meeting_scene()")


def test_a_full_meeting_puts_on_the_waiting_list_and_a_cancellation_moves_up(web, web_server, scene):
    path = f"/participation/meetings/{scene['meeting']}/"
    second = sign_in(web, path, "meet-second", phone=True)
    expect(second.locator("#meeting-places")).to_contain_text("0 of 1 left")
    expect(second.locator("#meeting-register")).to_have_count(0)
    second.locator("#meeting-wait").click()
    second.wait_for_url(f"**{path}")
    expect(second.locator("#registration-status")).to_contain_text("You are on the waiting list (number 1).")
    web.screenshot(second, "meeting-waiting-list")

    first = sign_in(web, path, "meet-first", phone=True)
    expect(first.locator("#registration-status")).to_contain_text("You are registered.")
    first.locator("#meeting-cancel").click()
    first.wait_for_url(f"**{path}")
    expect(first.locator("#notices")).to_contain_text("Your registration is cancelled.")

    second.reload()
    expect(second.locator("#registration-status")).to_contain_text("You are registered.")
    expect(second.locator("#meeting-cancel")).to_be_visible()
    rows = web_server.query("SELECT u.username, r.status FROM participation_meetingregistration r "
                            "JOIN auth_user u ON u.id = r.user_id ORDER BY r.id")
    assert rows == [{"username": "meet-first", "status": "cancelled"}, {"username": "meet-second", "status": "registered"}]
