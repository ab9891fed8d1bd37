"""The residents' participation pages in a real browser on a phone, under the strict CSP: a third verified
resident's report hides a comment in its thread, and the same resident withdraws their support from the proposal's
page, each a plain form that the server answers."""
import pytest
from playwright.sync_api import expect

from .test_pages_participation import sign_in

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def scene(web_server) -> dict:
    return web_server.django("from tests.participation import pages_data\npages_data.build()\n"
                             "result = pages_data.reported_comment_scene()")


def test_a_third_report_hides_a_comment_and_a_support_is_withdrawn_from_the_page(web, web_server, scene):
    path = f"/participation/proposals/{scene['proposal']}/"
    page = sign_in(web, path, "eleni-s", phone=True)
    comment = page.locator(f"#comment-{scene['comment']}")
    expect(comment).to_contain_text("Buy cheap watches here")

    comment.locator(".comment__report").click()
    page.locator("#report-form button[type=submit]").click()  # no reason yet: refused beside the field
    expect(page.locator("#error-reason")).to_be_visible()
    page.locator("#id_reason").fill("Advertising, not a comment")
    page.locator("#report-form button[type=submit]").click()
    page.wait_for_url(f"**{path}")
    expect(page.locator("#notices")).to_contain_text("the moderators will look at your report")
    expect(comment).to_contain_text("Hidden after reports from residents")
    expect(comment).not_to_contain_text("Buy cheap watches")
    web.screenshot(page, "comment-hidden")

    expect(page.locator("#support-count")).to_contain_text("1 person supports")
    page.locator("#support-withdraw").click()
    page.wait_for_url(f"**{path}")
    expect(page.locator("#notices")).to_contain_text("Your support is withdrawn.")
    expect(page.locator("#support-count")).to_contain_text("0 people support")
    expect(page.locator("#support-button")).to_be_visible()
    web.screenshot(page, "support-withdrawn")
    rows = web_server.query("SELECT hidden_cause, (SELECT count(*) FROM participation_support) AS supports "
                            "FROM participation_comment WHERE id = %(id)s", {"id": scene["comment"]})
    assert rows == [{"hidden_cause": "reports", "supports": 0}]
