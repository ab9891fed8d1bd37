"""Citizens' pages in a real browser: reporting on the map and without it, duplicates and "me too",
errors next to their fields, the report's page, and what users typed always shown as text."""
import json
import urllib.request

import pytest
from playwright.sync_api import expect

from tests.issues.conftest import jpeg_with_gps

pytestmark = pytest.mark.browser

OUTSIDE = (40.5850, 22.9550)  # in Kalamaria, a neighbouring municipality


@pytest.fixture
def photo(tmp_path):
    path = tmp_path / "pile.jpg"
    path.write_bytes(jpeg_with_gps(1200, 800))
    return path


def point_in_district(server, code: str, nudge_m: float = 0.0) -> tuple[float, float]:
    """A point well inside a district (its point on surface), moved nudge_m metres east."""
    row = server.query(
        "SELECT ST_Y(p) AS lat, ST_X(p) AS lon FROM (SELECT ST_Translate(ST_PointOnSurface(geom), %s / 84000.0, 0) AS p "
        "FROM layers_district WHERE code = %s) AS t", [nudge_m, code])[0]
    return row["lat"], row["lon"]


def tap_map(page, lat: float, lon: float, *, touch: bool = False, zoom: int = 16) -> None:
    """Tap (or click) the citizen map at a place, panning and zooming there first as a citizen would."""
    page.evaluate("([lat, lon, zoom]) => citizenMap.setView([lat, lon], zoom, {animate: false})", [lat, lon, zoom])
    x, y = page.evaluate("([lat, lon]) => { const p = citizenMap.latLngToContainerPoint([lat, lon]); return [p.x, p.y]; }", [lat, lon])
    box = page.locator("#citizen-map").bounding_box()
    if touch:
        page.touchscreen.tap(box["x"] + x, box["y"] + y)
    else:
        page.locator("#citizen-map").click(position={"x": x, "y": y})


def send(page) -> str:
    """Send the report and wait for its reference number."""
    page.locator("#send-report").click()
    expect(page.locator("#report-result")).to_be_visible()
    reference = page.locator("#report-reference").inner_text()
    assert reference.isdigit(), reference
    return reference


def stored(server, issue_id) -> dict:
    rows = server.query(
        "SELECT i.id, i.description, i.email, i.photo, i.address, c.service_code, d.code AS district, dep.slug AS department "
        "FROM issues_issue AS i JOIN issues_category AS c ON c.id = i.category_id "
        "JOIN issues_department AS dep ON dep.id = i.department_id LEFT JOIN layers_district AS d ON d.id = i.district_id "
        "WHERE i.id = %s", [int(issue_id)])
    assert rows, f"report {issue_id} is not in the database"
    return rows[0]


def queue_ids(server, department: str, token: str) -> list[int]:
    """The ids in a department's queue, read through the workspace API as its staff would."""
    request = urllib.request.Request(f"{server.url}/api/departments/{department}/queue",
                                     headers={"Authorization": f"Token {token}", "Accept": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as answer:
        return [feature["id"] for feature in json.loads(answer.read())["features"]]


def issue_count(server) -> int:
    return server.query("SELECT count(*) AS n FROM issues_issue")[0]["n"]


def test_a_citizen_reports_by_tapping_the_map_in_english_then_greek_with_a_photo(web, web_server, photo):
    crews = {code: web_server.create_user(f"crew-{code.lower()}", "pass-word-1", department=f"cleaning-{code.lower()}")
             for code in ("D3", "D5")}

    for lang, district, phone in (("en", "D3", False), ("el", "D5", True)):
        page = web.page("/", lang=lang, phone=phone)
        expect(page.locator("#citizen-map path.basemap-district")).to_have_count(6)
        lat, lon = point_in_district(web_server, district)
        tap_map(page, lat, lon, touch=phone)
        district_word = "District" if lang == "en" else "Κοινότητα"
        expect(page.locator("#location-status")).to_contain_text(district_word)
        expect(page.locator("#citizen-map .leaflet-marker-draggable")).to_have_count(1)  # the report's pin

        page.get_by_label("Search the categories" if lang == "en" else "Αναζήτηση κατηγορίας").fill("bulky" if lang == "en" else "ογκώδη")
        expect(page.locator("#service_code")).to_have_value("bulky-waste")
        page.locator("#attribute-item_type").select_option("furniture")
        page.locator("#description").fill(f"Old sofa by the bins ({lang})")
        page.locator("#media").set_input_files(str(photo))
        page.locator("#email").fill(f"citizen-{lang}@example.org")
        web.screenshot(page, f"form-{lang}")
        page.locator("#send-report").click()

        result = page.locator("#report-result")
        expect(result).to_be_visible()
        expect(result).to_be_focused()
        reference = page.locator("#report-reference").inner_text()
        assert reference.isdigit()
        expect(page.locator("#report-notice")).to_contain_text("Routed to" if lang == "en" else "Διαβιβάστηκε")
        web.screenshot(page, f"sent-{lang}")

        report = stored(web_server, reference)
        assert (report["district"], report["department"]) == (district, f"cleaning-{district.lower()}")
        assert report["photo"] and report["email"] == f"citizen-{lang}@example.org"
        assert int(reference) in queue_ids(web_server, f"cleaning-{district.lower()}", crews[district])

        page.locator("#report-link").click()
        expect(page).to_have_url(f"{web_server.url}/issues/{reference}/")
        expect(page.locator("#issue-description")).to_have_text(f"Old sofa by the bins ({lang})")
        photo_shown = page.locator(".issue-photos img").first
        expect(photo_shown).to_be_visible()
        assert page.evaluate("img => img.naturalWidth", photo_shown.element_handle()) > 0


def tab_to(page, selector: str, limit: int = 40) -> list[str]:
    """Press Tab until the element matching selector has the focus; the ids focused on the way."""
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        seen.append(page.evaluate("() => document.activeElement.id || document.activeElement.tagName"))
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return seen
    raise AssertionError(f"{selector} was not reached with Tab; focus went through {seen}")


def test_keyboard_only_report_by_address_search_with_no_map_interaction(web, web_server):
    page = web.page("/", lang="en")
    expect(page.locator("#citizen-map path.basemap-district")).to_have_count(6)
    # every control of the form has a label a screen reader reads
    unlabelled = page.evaluate("""() => Array.from(document.querySelectorAll('#report-form input:not([type=hidden]), #report-form select, #report-form textarea'))
        .filter(c => !(c.labels && c.labels.length) && !c.getAttribute('aria-label')).map(c => c.id)""")
    assert unlabelled == []

    tab_to(page, "a[href='#report-form']")
    page.keyboard.press("Enter")
    tab_to(page, "#address-query", limit=2)
    page.keyboard.type("aristotelous square")
    page.keyboard.press("Enter")
    expect(page.locator("#address-results button").first).to_contain_text("Aristotelous Square")
    expect(page.locator("#announcer")).to_contain_text("found")
    order = tab_to(page, "#address-results button", limit=3)
    assert order[0] == "address-search"  # the Find button comes between the field and the results
    page.keyboard.press("Enter")
    status = page.locator("#location-status")
    expect(status).to_be_focused()
    expect(status).to_contain_text("Aristotelous Square")
    expect(status).to_contain_text("District:")

    tab_to(page, "#category-filter", limit=3)
    page.keyboard.type("bulky")
    expect(page.locator("#service_code")).to_have_value("bulky-waste")
    tab_to(page, "#attribute-item_type", limit=3)
    page.keyboard.press("ArrowDown")
    expect(page.locator("#attribute-item_type")).not_to_have_value("")
    tab_to(page, "#description", limit=3)
    page.keyboard.type("Broken wardrobe on the pavement")
    tab_to(page, "#email", limit=3)
    page.keyboard.type("keyboard@example.org")
    tab_to(page, "#send-report")
    page.keyboard.press("Enter")

    expect(page.locator("#report-result")).to_be_focused()
    reference = page.locator("#report-reference").inner_text()
    expect(page.locator("#announcer")).to_have_text(f"Your report is in. Its reference number is {reference}.")
    report = stored(web_server, reference)
    assert report["address"] == "Aristotelous Square" and report["description"] == "Broken wardrobe on the pavement"
    assert report["department"] == f"cleaning-{report['district'].lower()}"


def test_the_form_without_a_map_reports_by_landmark_in_greek(web, web_server):
    page = web.page("/report/", lang="el", phone=True)
    assert page.locator(".leaflet-container").count() == 0
    page.get_by_label("Διεύθυνση ή ορόσημο").fill("Λευκός Πύργος")
    page.get_by_role("button", name="Εύρεση").click()
    page.locator("#address-results button").first.click()
    expect(page.locator("#location-status")).to_contain_text("Λευκός Πύργος")
    page.locator("#service_code").select_option("graffiti")
    assert stored(web_server, send(page))["service_code"] == "graffiti"


def test_my_location_places_the_report_and_a_refusal_says_what_to_do(web, web_server):
    lat, lon = point_in_district(web_server, "D3", nudge_m=200)
    page = web.page("/report/", lang="el", phone=True, geolocation={"latitude": lat, "longitude": lon}, permissions=["geolocation"])
    page.get_by_role("button", name="Χρήση της θέσης μου").click()
    status = page.locator("#location-status")
    expect(status).to_be_focused()
    expect(status).to_contain_text("Κοινότητα: 3η Δημοτική Κοινότητα")
    expect(page.locator("#lat")).to_have_value(f"{lat:.6f}")

    refused = web.page("/report/", lang="en", phone=True)  # no permission given
    refused.get_by_role("button", name="Use my location").click()
    expect(refused.locator("#error-location")).to_have_text(
        "Your location is not available: allow it in the browser, or search an address.")


def test_a_second_report_next_to_the_first_is_offered_it_and_me_too_counts(web, web_server):
    lat, lon = point_in_district(web_server, "D2", nudge_m=-120)
    before = issue_count(web_server)
    page = web.page("/", lang="en")
    tap_map(page, lat, lon, zoom=18)
    page.locator("#service_code").select_option("litter")
    first = send(page)

    page.get_by_role("button", name="Report another problem").click()
    tap_map(page, lat + 0.0002, lon, zoom=18)  # about 22 m north
    page.locator("#service_code").select_option("litter")
    nearby = page.locator("#nearby")
    expect(nearby).to_be_visible()
    expect(page.locator("#nearby-list li")).to_have_count(1)
    expect(page.locator("#nearby-list")).to_contain_text(f"See report {first}")
    page.locator("#nearby-list").get_by_role("button", name="Me too").click()
    expect(page.locator("#nearby-list .nearby__result")).to_contain_text("1 person supports it.")
    web.screenshot(page, "me-too")

    other_device = web.page("/", lang="el")
    tap_map(other_device, lat - 0.0002, lon, zoom=18)
    other_device.locator("#service_code").select_option("litter")
    other_device.locator("#nearby-list").get_by_role("button", name="Κι εγώ").click()
    expect(other_device.locator("#nearby-list .nearby__result")).to_contain_text("2 άτομα την υποστηρίζουν.")

    assert web_server.query("SELECT count(*) AS n FROM issues_support WHERE issue_id = %s", [int(first)])[0]["n"] == 2
    assert issue_count(web_server) == before + 1  # "me too" sent no new report
    issue_page = web.page(f"/issues/{first}/", lang="en")
    expect(issue_page.locator("#support-count")).to_have_text("2 people support this report.")
    issue_page.get_by_role("button", name="Me too").click()  # a third device, from the report's page
    expect(issue_page.locator("#support-count")).to_have_text("3 people support this report.")


def test_a_pin_outside_the_city_on_the_greek_page_is_marked_at_the_place_in_greek(web, web_server):
    page = web.page("/", lang="el")
    page.locator("#service_code").select_option("pothole")
    page.locator("#description").fill("Λακκούβα")
    tap_map(page, *OUTSIDE)
    page.locator("#send-report").click()
    # the field from the error's `parameter` (location), the words from its code (out_of_area)
    expect(page.locator("#error-location")).to_contain_text("Το σημείο είναι εκτός του Δήμου Θεσσαλονίκης.")
    expect(page.locator("#address-query")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#error-form")).to_have_text("")


def test_a_pin_outside_the_city_shows_the_outside_message_and_keeps_the_form(web, web_server):
    page = web.page("/", lang="en")
    page.locator("#service_code").select_option("pothole")
    page.locator("#description").fill("Deep hole, <careful> at night")
    page.locator("#email").fill("outside@example.org")
    before = issue_count(web_server)

    tap_map(page, *OUTSIDE)
    expect(page.locator("#location-status")).to_contain_text("outside the Municipality of Thessaloniki")
    expect(page.locator("#location-status")).to_contain_text("It lies in Municipality of Kalamaria.")
    page.locator("#send-report").click()
    error = page.locator("#error-location")
    expect(error).to_contain_text("This place is outside the Municipality of Thessaloniki. It lies in Municipality of Kalamaria.")
    expect(page.locator("#address-query")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#service_code")).to_have_value("pothole")
    expect(page.locator("#description")).to_have_value("Deep hole, <careful> at night")
    expect(page.locator("#email")).to_have_value("outside@example.org")
    assert issue_count(web_server) == before
    web.screenshot(page, "outside")

    tap_map(page, *point_in_district(web_server, "D4"))
    expect(error).to_have_text("")
    report = stored(web_server, send(page))
    assert (report["description"], report["email"], report["district"]) == ("Deep hole, <careful> at night", "outside@example.org", "D4")


def test_missing_fields_and_a_rejected_photo_show_the_servers_messages_next_to_the_fields(web, web_server, tmp_path):
    not_a_photo = tmp_path / "notes.jpg"
    not_a_photo.write_text("this is text, not a picture")
    page = web.page("/", lang="en")
    page.locator("#description").fill("Streetlight flickers")
    page.locator("#media").set_input_files(str(not_a_photo))
    page.locator("#send-report").click()
    expect(page.locator("#error-service_code")).to_have_text("Choose a category.")
    expect(page.locator("#service_code")).to_be_focused()

    page.locator("#service_code").select_option("street-light-out")
    page.locator("#send-report").click()
    expect(page.locator("#error-service_code")).to_have_text("")
    expect(page.locator("#error-location")).to_contain_text("Choose a place")

    tap_map(page, *point_in_district(web_server, "D6"))
    page.locator("#send-report").click()
    expect(page.locator("#error-media")).to_contain_text("The photo was not accepted: media is not a readable JPEG, PNG or WebP image")
    expect(page.locator("#description")).to_have_value("Streetlight flickers")
    expect(page.locator("#attribute-pole_number")).to_be_visible()
    web.screenshot(page, "photo-refused")

    page.locator("#media").set_input_files([])
    page.locator("#attribute-pole_number").fill("A-113")
    assert stored(web_server, send(page))["district"] == "D6"


HOSTILE = '<img src=x onerror="window.__injected=1"><b>bold</b><script>window.__injected=2</script>'


def test_what_users_typed_is_shown_as_text_in_pages_and_map_popups(web, web_server):
    lat, lon = point_in_district(web_server, "D6", nudge_m=150)
    page = web.page("/", lang="en")
    tap_map(page, lat, lon)
    page.locator("#service_code").select_option("graffiti")
    page.locator("#description").fill(HOSTILE)
    reference = send(page)

    issue_page = web.page(f"/issues/{reference}/", lang="en")
    expect(issue_page.locator("#issue-description")).to_have_text(HOSTILE)
    issue_page.locator("#comment-text").fill(HOSTILE)
    issue_page.locator("#comment-author").fill("<i>Eve</i>")
    issue_page.get_by_role("button", name="Post comment").click()
    comment = issue_page.locator("#comments .comment").last
    expect(comment.locator(".user-text")).to_have_text(HOSTILE)
    expect(comment.locator(".comment__author")).to_have_text("<i>Eve</i>")
    issue_page.reload()  # and as the server renders it
    expect(issue_page.locator("#comments .comment .user-text")).to_have_text(HOSTILE)
    expect(issue_page.locator("#comments .comment__author")).to_have_text("<i>Eve</i>")

    map_page = web.page("/", lang="en")
    map_page.evaluate("([lat, lon]) => citizenMap.setView([lat, lon], 19, {animate: false})", [lat, lon])
    # the popup's content is what this test reads: the marker is clicked by its event, so a map still settling
    # after the view change cannot make the click wait
    map_page.locator(".report-marker").first.dispatch_event("click")
    popup = map_page.locator(".leaflet-popup-content")
    expect(popup.locator(".user-text")).to_have_text(HOSTILE[:300])

    for shown in (issue_page, map_page):
        assert shown.locator("main b, main i, main script:not([src]), main img[src='x']").count() == 0
        assert shown.evaluate("() => window.__injected") is None


def test_the_report_page_shows_its_timeline_public_updates_photo_and_place(web, web_server, photo):
    page = web.page("/", lang="en")
    tap_map(page, *point_in_district(web_server, "D1"))
    page.locator("#service_code").select_option("damaged-pavement")
    page.locator("#media").set_input_files(str(photo))
    page.locator("#email").fill("private@example.org")
    reference = int(send(page))
    web_server.django(
        """
from issues.models import Issue
from issues.services.lifecycle import issue_note, issue_transition
issue = Issue.objects.get(pk=reference)
issue_transition(issue=issue, to_status="acknowledged", actor="staff")
issue_note(issue=issue, text="Crew booked for Monday", public=True, actor="staff")
issue_note(issue=issue, text="internal: check the contractor", public=False, actor="staff")
issue_transition(issue=issue, to_status="in_progress", actor="staff")
""", reference=reference)

    issue_page = web.page(f"/issues/{reference}/", lang="el")
    expect(issue_page.locator("#issue-status")).to_have_text("Σε εξέλιξη")
    steps = issue_page.locator(".timeline > li")
    expect(steps).to_have_count(4)
    expect(steps.nth(0)).to_contain_text("Υποβλήθηκε")
    expect(steps.nth(1)).to_contain_text("Κατάσταση: Παραλήφθηκε")
    expect(steps.nth(2)).to_contain_text("Crew booked for Monday")
    expect(steps.nth(3)).to_contain_text("Κατάσταση: Σε εξέλιξη")
    expect(issue_page.locator("main")).not_to_contain_text("internal: check the contractor")
    expect(issue_page.locator("main")).not_to_contain_text("private@example.org")
    expect(issue_page.locator("#issue-map .leaflet-marker-icon")).to_have_count(1)
    expect(issue_page.locator(".issue-photos img")).to_have_count(1)


def test_reports_cluster_at_low_zoom_and_the_layer_switcher_shows_heritage_and_services(web, web_server):
    lat, lon = point_in_district(web_server, "D4", nudge_m=300)
    web_server.django(
        """
from django.contrib.gis.geos import Point
from issues.models import Category
from issues.services.reporting import issue_report
category = Category.objects.get(service_code="overflowing-bin")
for i in range(12):
    issue_report(category=category, point=Point(lon + i * 0.00005, lat, srid=4326), actor="test")
""", lat=lat, lon=lon)
    page = web.page("/", lang="en")
    page.wait_for_function("() => Number(document.getElementById('citizen-map').dataset.reports) >= 12")
    page.evaluate("([lat, lon]) => citizenMap.setView([lat, lon], 13, {animate: false})", [lat, lon])
    # at a low zoom the twelve reports a few metres apart are one cluster, labelled with their number (or more)
    counts = [int(text) for text in page.locator(".marker-cluster").all_inner_texts()]
    assert any(count >= 12 for count in counts), counts
    page.evaluate("([lat, lon]) => citizenMap.setView([lat, lon + 0.0003], 18, {animate: false})", [lat, lon])
    expect(page.locator(".report-marker[title='Overflowing bin']")).to_have_count(12)

    switcher = page.locator(".leaflet-control-layers")
    for name, checked in (("Reports", True), ("Districts", True), ("Heritage sites", False), ("Service points", False)):
        box = switcher.get_by_label(name)
        expect(box).to_be_checked() if checked else expect(box).not_to_be_checked()
    page.evaluate("() => citizenMap.setView([40.632, 22.950], 13, {animate: false})")
    switcher.get_by_label("Heritage sites").check()
    switcher.get_by_label("Service points").check()
    expect(page.locator("path.poi--heritage")).to_have_count(21)
    expect(page.locator("path.poi--service")).to_have_count(12)
    web.screenshot(page, "layers")
