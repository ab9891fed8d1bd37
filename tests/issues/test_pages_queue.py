"""The department queue in a real browser: staff of the routed department sign in, find a citizen's report on their
map, work it, and the public sees the change; changes made meanwhile and refused actions are said; bulk
acknowledge; a planner reads without acting; Greek on a phone."""
import json
import re
import urllib.parse
import urllib.request

import pytest
from playwright.sync_api import expect

from tests.support.staff_accounts import PASSWORD, sign_in

pytestmark = pytest.mark.browser

QUEUE = "/staff/queue/roads-pavements/"
# Points in the city (pothole reports go to the roads department wherever they are)
CENTRE = (22.9484, 40.6264)
KALAMARIA_ROAD = (22.9600, 40.6050)
TOUMBA = (22.9700, 40.6150)


@pytest.fixture(scope="module")
def tokens(web_server):
    """Accounts on the served site, with their API tokens; and an Open311 key for citizens' apps."""
    made = {
        "anna": web_server.create_user("anna", PASSWORD, department="roads-pavements"),
        "costas": web_server.create_user("costas", PASSWORD, department="roads-pavements"),
        "babis": web_server.create_user("babis", PASSWORD, department="roads-pavements", role="manager"),
        "dora": web_server.create_user("dora", PASSWORD, planner=True),
    }
    made["open311"] = web_server.django(
        "from issues.api_keys import api_key_create\n_key, result = api_key_create(name='a citizens app', rate_limit_per_minute=1000)")
    return made


def post(web_server, path: str, data: dict, headers=None) -> dict:
    request = urllib.request.Request(web_server.url + path, data=urllib.parse.urlencode(data).encode(), headers=headers or {},
                                     method="POST")
    with urllib.request.urlopen(request, timeout=30) as answer:
        return json.loads(answer.read())


def citizen_report(web_server, tokens, point, description: str, code: str = "pothole") -> int:
    """A report made as a citizen's app makes it: Open311 POST with an API key."""
    answer = post(web_server, "/open311/v2/requests.json", {
        "api_key": tokens["open311"], "service_code": code, "long": point[0], "lat": point[1], "description": description})
    return int(answer[0]["service_request_id"])


def staff_action(web_server, token: str, issue: int, action: str, version: int) -> dict:
    return post(web_server, f"/api/issues/{issue}/actions/{action}", {},
                {"Authorization": f"Token {token}", "If-Match": f'"v{version}"'})


def status_of(web_server, issue: int) -> str:
    return web_server.query("SELECT status FROM issues_issue WHERE id = %s", [issue])[0]["status"]


def panel_of_a_new_report(web, web_server, tokens, point, description: str, username: str = "anna"):
    """A citizen's new report, and the queue page of a signed-in account with that report's panel open."""
    issue = citizen_report(web_server, tokens, point, description)
    page = sign_in(web, QUEUE, username)
    page.locator(f"#queue-item-{issue} .queue-item__open").click()
    expect(page.locator("#issue-title")).to_contain_text(f"#{issue} ")
    return page, issue


def test_staff_find_a_citizen_report_on_their_map_start_it_and_the_public_sees_it_in_progress(web, web_server, tokens):
    first = citizen_report(web_server, tokens, CENTRE, "Deep pothole outside the bakery")
    second = citizen_report(web_server, tokens, TOUMBA, "Broken kerb and a hole")
    page = sign_in(web, QUEUE, "anna")
    expect(page.locator("h1")).to_have_text("Queue: Roads and Pavements Directorate")
    expect(page.locator(f"#queue-item-{first}")).to_contain_text("Pothole")
    marker = page.locator(f'#queue-map path.queue-marker[data-issue="{first}"]')
    expect(marker).to_have_class(re.compile(r"\bqueue-marker--new\b"))

    # choosing on the map highlights it in the list and opens its panel
    marker.click()
    expect(page.locator(f"#queue-item-{first}")).to_have_class(re.compile(r"\bis-selected\b"))
    expect(page.locator("#issue-title")).to_have_text(f"#{first} Pothole")
    expect(page.locator("#issue-detail")).to_contain_text("Deep pothole outside the bakery")
    # choosing in the list highlights it on the map
    page.locator(f"#queue-item-{second} .queue-item__open").click()
    expect(page.locator(f'#queue-map path[data-issue="{second}"]')).to_have_class(re.compile(r"\bis-selected\b"))
    expect(page.locator(f'#queue-map path[data-issue="{first}"]')).not_to_have_class(re.compile(r"\bis-selected\b"))
    expect(page.locator(f"#queue-item-{first}")).not_to_have_class(re.compile(r"\bis-selected\b"))
    web.screenshot(page, "queue-selected")

    # move the first to in progress
    marker.click()
    expect(page.locator("#issue-title")).to_have_text(f"#{first} Pothole")
    page.locator("#issue-actions button[data-action=start]").click()
    expect(page.locator("#action-message")).to_have_text("Start work: done. The report is now In progress.")
    expect(page.locator("#issue-detail .badge--in_progress")).to_be_visible()
    expect(marker).to_have_class(re.compile(r"\bqueue-marker--in_progress\b"))
    expect(page.locator(".issue-history li").first).to_contain_text("New → In progress")
    assert status_of(web_server, first) == "in_progress"

    # a citizen (no session) reads the new status from the public Open311 request
    public = web.page(f"/open311/v2/requests/{first}.json?extensions=true")
    body = json.loads(public.locator("body").inner_text())[0]
    assert body["status"] == "open" and body["extended_attributes"]["extended_status"] == "IN_PROGRESS"
    assert any("/api/departments/roads-pavements/queue" in url for url in web.requests)
    assert web.requests_leaving_localhost() == []


def test_a_change_made_meanwhile_is_refused_said_and_shown_after_a_reload(web, web_server, tokens):
    page, issue = panel_of_a_new_report(web, web_server, tokens, KALAMARIA_ROAD, "Sunken manhole")
    expect(page.locator("#issue-title")).to_have_text(f"#{issue} Pothole")
    staff_action(web_server, tokens["babis"], issue, "acknowledge", version=1)  # a colleague, in the meantime

    page.locator("#issue-actions button[data-action=start]").click()
    message = page.locator("#action-message")
    expect(message).to_contain_text("Not saved: someone changed this report after you opened it (it is now at version 2)")
    expect(message).to_have_attribute("role", "alert")
    assert status_of(web_server, issue) == "acknowledged"  # nothing of the stale write was kept

    message.get_by_role("button", name="Reload the report").click()
    expect(page.locator("#issue-detail .badge--acknowledged")).to_be_visible()
    expect(page.locator("#issue-actions button[data-action=acknowledge]")).to_have_count(0)
    expect(page.locator(".issue-history li").first).to_contain_text("babis")


def test_an_action_this_account_may_no_longer_take_is_refused_and_said(web, web_server, tokens):
    page, issue = panel_of_a_new_report(web, web_server, tokens, CENTRE, "Loose paving slab", "costas")
    web_server.django("from issues.models import DepartmentMembership\n"
                      "DepartmentMembership.objects.filter(user__username='costas').delete()")
    page.locator("#issue-actions button[data-action=resolve]").click()
    page.fill("#field-note", "relaid")
    page.locator("#action-form button[type=submit]").click()
    expect(page.locator("#action-message")).to_have_text("Not allowed: only a member of roads-pavements may resolve this issue")
    assert status_of(web_server, issue) == "new"


def test_resolving_needs_a_close_reason_only_when_closing_and_says_a_missing_one(web, web_server, tokens):
    page, issue = panel_of_a_new_report(web, web_server, tokens, TOUMBA, "Hole already filled by a neighbour")
    page.locator("#issue-actions button[data-action=close]").click()
    expect(page.locator("#field-reason")).to_be_focused()
    page.select_option("#field-reason", "no_further_action")
    page.fill("#field-note", "Filled already")
    page.locator("#action-form button[type=submit]").click()
    expect(page.locator("#action-message")).to_have_text("Close: done. The report is now Closed.")
    expect(page.locator(".issue-facts")).to_contain_text("No further action")
    assert status_of(web_server, issue) == "closed"


def test_bulk_acknowledge_acknowledges_the_new_ones_and_names_those_it_cannot(web, web_server, tokens):
    batch = [citizen_report(web_server, tokens, point, f"bulk-batch report {n}") for n, point in enumerate([CENTRE, TOUMBA, KALAMARIA_ROAD])]
    started = citizen_report(web_server, tokens, CENTRE, "bulk-batch already started")
    staff_action(web_server, tokens["babis"], started, "start", version=1)
    page = sign_in(web, QUEUE + "?q=bulk-batch", "anna")
    expect(page.locator("#queue-list .queue-item")).to_have_count(4)
    page.get_by_label("Select all shown").check()
    bulk = page.locator("#bulk-acknowledge")
    expect(bulk).to_have_text("Acknowledge selected (4)")
    bulk.click()
    expect(page.locator("#bulk-result")).to_have_text(f"3 reports acknowledged. Not acknowledged: #{started} (In progress).")
    assert [status_of(web_server, issue) for issue in batch] == ["acknowledged"] * 3
    assert status_of(web_server, started) == "in_progress"
    expect(page.locator("#queue-map path.queue-marker--acknowledged")).to_have_count(3)


def test_filters_narrow_the_map_and_the_list_together(web, web_server, tokens):
    light = citizen_report(web_server, tokens, CENTRE, "filter-check light", code="damaged-pavement")
    page = sign_in(web, QUEUE, "anna")
    page.select_option("#filter-category", "damaged-pavement")
    page.fill("#filter-q", "filter-check")
    page.get_by_role("button", name="Show", exact=True).click()
    expect(page.locator("#queue-list .queue-item")).to_have_count(1)
    expect(page.locator("#queue-map path.queue-marker")).to_have_count(1)
    expect(page.locator(f"#queue-item-{light}")).to_be_visible()
    assert "category=damaged-pavement" in page.url  # a reload keeps the filters
    page.reload()
    expect(page.locator("#filter-category")).to_have_value("damaged-pavement")
    expect(page.locator("#queue-list .queue-item")).to_have_count(1)


def test_a_planner_reads_the_queue_and_is_offered_no_action(web, web_server, tokens):
    page, issue = panel_of_a_new_report(web, web_server, tokens, CENTRE, "planner reads this", "dora")
    expect(page.locator("#issue-detail")).to_contain_text("You can read this queue; only the department's staff change its reports.")
    expect(page.locator("#issue-actions")).to_have_count(0)
    expect(page.locator("#bulk-bar")).to_be_hidden()
    expect(page.locator("#queue-list input[type=checkbox]")).to_have_count(0)


def test_in_greek_on_a_phone_the_map_sits_above_the_list_and_the_panel(web, web_server, tokens):
    issue = citizen_report(web_server, tokens, TOUMBA, "phone check")
    page = sign_in(web, QUEUE, "anna", lang="el", phone=True)
    expect(page.locator("html")).to_have_attribute("lang", "el")
    expect(page.locator("h1")).to_have_text("Ουρά: Διεύθυνση Οδοποιίας και Πεζοδρομίων")
    map_box = page.locator("#queue-map").bounding_box()
    list_box = page.locator(".queue-list-section").bounding_box()
    panel_box = page.locator("#issue-panel").bounding_box()
    assert map_box["width"] <= 390 and list_box["y"] >= map_box["y"] + map_box["height"] - 1
    assert panel_box["y"] >= list_box["y"] + list_box["height"] - 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.locator(f"#queue-item-{issue} .queue-item__open").click()
    expect(page.locator("#issue-actions button[data-action=start]")).to_have_text("Έναρξη εργασιών")
    expect(page.locator("#issue-detail .badge--new")).to_have_text("Νέα")
    web.screenshot(page, "queue-phone-greek")


def png_photo() -> bytes:
    from io import BytesIO

    from PIL import Image

    out = BytesIO()
    Image.new("RGB", (64, 48), (90, 120, 60)).save(out, format="PNG")
    return out.getvalue()


def test_resolving_with_a_photo_and_a_rejected_photo_keeps_what_was_typed(web, web_server, tokens):
    page, issue = panel_of_a_new_report(web, web_server, tokens, KALAMARIA_ROAD, "Pothole by the bus stop")
    page.locator("#issue-actions button[data-action=resolve]").click()
    page.fill("#field-note", "Filled and rolled")
    page.set_input_files("#field-photo", {"name": "work.jpg", "mimeType": "image/jpeg", "buffer": b"not a picture at all"})
    page.locator("#action-form button[type=submit]").click()
    expect(page.locator("#action-message")).to_contain_text("The server refused (400): photo:")
    expect(page.locator("#field-note")).to_have_value("Filled and rolled")  # nothing typed is lost
    assert status_of(web_server, issue) == "new"

    page.set_input_files("#field-photo", {"name": "work.png", "mimeType": "image/png", "buffer": png_photo()})
    page.locator("#action-form button[type=submit]").click()
    expect(page.locator("#action-message")).to_have_text("Resolve: done. The report is now Resolved.")
    stored = web_server.query("SELECT photo, description, public FROM issues_issueupdate WHERE issue_id = %s AND to_status = 'resolved'", [issue])
    assert stored[0]["photo"] and stored[0]["description"] == "Filled and rolled" and stored[0]["public"]


def test_a_wrong_duplicate_number_is_said_and_an_internal_note_stays_internal(web, web_server, tokens):
    page, issue = panel_of_a_new_report(web, web_server, tokens, TOUMBA, "Same hole as yesterday")
    page.locator("#issue-actions button[data-action=duplicate]").click()
    page.fill("#field-duplicate-of", "999999")
    page.locator("#action-form button[type=submit]").click()
    expect(page.locator("#action-message")).to_have_text(
        "The server refused (400): duplicate_of: the id of an existing issue is required")
    assert status_of(web_server, issue) == "new"

    page.locator("#issue-actions button[data-action=internal_note]").click()
    page.fill("#field-note", "Call the contractor on Monday")
    page.locator("#action-form button[type=submit]").click()
    expect(page.locator("#action-message")).to_have_text("Internal note: done. The report is now New.")
    expect(page.locator(".issue-history li.history--internal")).to_contain_text("Call the contractor on Monday")
    public = web.page(f"/open311/v2/requests/{issue}.json")
    assert "Call the contractor" not in public.locator("body").inner_text()


def test_a_manager_reassigns_a_report_to_another_department(web, web_server, tokens):
    page, issue = panel_of_a_new_report(web, web_server, tokens, CENTRE, "This is a broken lamp, not a pothole", "babis")
    page.locator("#issue-actions button[data-action=reassign]").click()
    page.select_option("#field-department", "street-lighting")
    page.fill("#field-reason", "a street light, not the road")
    page.locator("#action-form button[type=submit]").click()
    expect(page.locator("#action-message")).to_have_text(f"Reassign: done. Report {issue} has left this queue.")
    expect(page.locator(f"#queue-item-{issue}")).to_have_count(0)  # gone from this queue
    department = web_server.query("SELECT d.slug FROM issues_issue i JOIN issues_department d ON d.id = i.department_id "
                                  "WHERE i.id = %s", [issue])
    assert department[0]["slug"] == "street-lighting"


def test_staff_are_not_offered_reassign(web, web_server, tokens):
    page, issue = panel_of_a_new_report(web, web_server, tokens, CENTRE, "staff cannot reassign")
    expect(page.locator("#issue-actions button[data-action=start]")).to_be_visible()
    expect(page.locator("#issue-actions button[data-action=reassign]")).to_have_count(0)
