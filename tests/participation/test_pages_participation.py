"""The participation pages in a real browser, under the strict CSP and with no request leaving 127.0.0.1: a resident
proposes an area across two districts (similar proposals offered first), sees it on the process map's vector tiles
and filters them, supports and comments (a reply in its thread); then votes a knapsack ballot in Greek on a phone,
is refused over the budget, votes within it, and sees the results with their maps; a line is drawn from the keyboard
with the map's centre; the implementation map draws a project in its status's colour with its progress, and the
project's page shows its milestones (last in the module: its data is built when it runs)."""
import json
import re

import pytest
from playwright.sync_api import expect

from tests.support.browser import accessibility_violations
from tests.support.staff_accounts import PASSWORD

pytestmark = pytest.mark.browser

IDEAS = "neighbourhood-ideas"
BUDGETING = "budget-2027"


def sign_in(web, path: str, username: str, *, lang: str = "en", phone: bool = False):
    """A page signed in through the sign-in page (its ?next= leads back to path); the participation pages are
    public, so they do not send visitors there themselves."""
    page = web.page(f"/accounts/login/?next={path}", lang=lang, phone=phone)
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator(".login-form button[type=submit]").click()
    page.wait_for_url(f"**{path}")
    return page


@pytest.fixture(scope="module")
def data(web_server) -> dict:
    """The processes, budget and projects, once in the module's server database."""
    return web_server.django("from tests.participation import pages_data\nresult = pages_data.build()")


def resident(server, username: str, district: str) -> None:
    server.django("from tests.participation import pages_data\npages_data.verified_resident(username, district)",
                  username=username, district=district)


def open_phase(server, slug: str, kind: str) -> None:
    server.django("from tests.participation import pages_data\npages_data.open_phase(slug, kind)", slug=slug, kind=kind)


def square_across_d4_and_d5(server) -> list[tuple[float, float]]:
    """Four corners (lat, lon) of a square about 200 m wide around the middle of the D4–D5 boundary."""
    row = server.query(
        "WITH e AS (SELECT ST_LineInterpolatePoint(ST_Intersection(x.geom, y.geom), 0.5) AS c FROM layers_district x, "
        "layers_district y WHERE x.code = 'D4' AND y.code = 'D5') SELECT ST_Y(c) AS lat, ST_X(c) AS lon FROM e")[0]
    lat, lon, d = row["lat"], row["lon"], 0.0012
    return [(lat - d, lon - d), (lat - d, lon + d), (lat + d, lon + d), (lat + d, lon - d)]


def click_map(page, map_name: str, selector: str, lat: float, lon: float) -> None:
    x, y = page.evaluate(f"([lat, lon]) => {{ const p = {map_name}.latLngToContainerPoint([lat, lon]); return [p.x, p.y]; }}", [lat, lon])
    page.locator(selector).click(position={"x": x, "y": y})


def test_a_resident_proposes_an_area_across_two_districts_supports_and_comments(web, web_server, data):
    resident(web_server, "maria", "D4")
    resident(web_server, "petros", "D5")
    corners = square_across_d4_and_d5(web_server)
    centre = (sum(c[0] for c in corners) / 4, sum(c[1] for c in corners) / 4)
    # someone else's proposal a few metres away: offered as similar before publishing
    web_server.django("""
from django.contrib.auth.models import User
from django.contrib.gis.geos import Point
from participation.models import Process
from participation.services.proposals import proposal_create
proposal_create(process=Process.objects.get(slug=slug), author=User.objects.get(username="petros"),
                title="Benches along the boundary street", body="Somewhere to sit.", place=Point(lon, lat, srid=4326), publish=True)
""", slug=IDEAS, lat=centre[0], lon=centre[1])

    page = sign_in(web, f"/participation/{IDEAS}/propose/", "maria")
    expect(page.locator("#proposal-map path.basemap-district")).to_have_count(6)
    page.get_by_label("An area").check()
    page.evaluate("([lat, lon]) => proposalMap.setView([lat, lon], 16, {animate: false})", list(centre))
    for lat, lon in corners:
        click_map(page, "proposalMap", "#proposal-map", lat, lon)
    expect(page.locator("#place-status")).to_contain_text("4 corners")
    page.locator("#draw-finish").click()
    expect(page.locator("#proposal-map path.proposal-shape")).to_have_count(1)
    page.locator("#title").fill("A pocket park where two districts meet")
    page.locator("#body").fill("Trees, shade and a fountain <b>for both</b> neighbourhoods.")
    page.locator("#category").select_option("green")
    page.locator("#publish").click()

    similar = page.locator("#similar")
    expect(similar).to_be_visible()
    expect(similar).to_contain_text("Benches along the boundary street")
    assert web_server.query("SELECT count(*) AS n FROM participation_proposal")[0]["n"] == 1  # nothing sent yet
    page.locator("#publish").click()  # "Publish mine anyway"
    result = page.locator("#proposal-result")
    expect(result).to_be_visible()
    expect(page.locator("#proposal-districts")).to_contain_text("4th District")
    expect(page.locator("#proposal-districts")).to_contain_text("5th District")
    web.screenshot(page, "proposed")

    stored = web_server.query(
        "SELECT p.id, p.state, GeometryType(p.geom) AS kind, array_agg(d.code ORDER BY d.code) AS districts "
        "FROM participation_proposal p JOIN participation_proposaldistrict pd ON pd.proposal_id = p.id "
        "JOIN layers_district d ON d.id = pd.district_id WHERE p.title LIKE 'A pocket park%%' GROUP BY p.id")[0]
    assert (stored["state"], stored["kind"], stored["districts"]) == ("published", "POLYGON", ["D4", "D5"])

    # the process map draws it from the vector tiles; the district filter keeps it, another category hides both
    page.goto(f"/participation/{IDEAS}/")
    page.evaluate("([lat, lon]) => processMap.setView([lat, lon], 16, {animate: false})", list(centre))
    expect(page.locator("#process-map")).to_have_attribute("data-proposals-shown", "2")
    assert any("/ogc/collections/participation-proposals/tiles/WebMercatorQuad/16/" in url for url in web.requests)
    page.locator("#filter-district").select_option("D5")
    expect(page.locator("#process-map")).to_have_attribute("data-proposals-shown", "2")
    page.locator("#filter-category").select_option("mobility")
    expect(page.locator("#process-map")).to_have_attribute("data-proposals-shown", "0")
    assert "district=D5" in page.url and "category=mobility" in page.url

    # supports open in their phase; the comment and a reply in its thread
    open_phase(web_server, IDEAS, "supports")
    page.goto(f"/participation/proposals/{stored['id']}/")
    expect(page.locator("#proposal-body")).to_have_text("Trees, shade and a fountain <b>for both</b> neighbourhoods.")
    page.locator("#support-button").click()
    expect(page.locator("#support-count")).to_contain_text("1 person supports")
    page.locator("#comment-body").fill("Let us plant plane trees.")
    page.locator("#comment-send").click()
    first = page.locator("#comments > li.comment").first
    expect(first).to_contain_text("Let us plant plane trees.")
    first.locator(".comment__reply").click()
    page.locator("#comment-body").fill("And a drinking fountain.")
    page.locator("#comment-send").click()
    expect(first.locator(".comment-replies .comment")).to_contain_text("And a drinking fountain.")
    web.screenshot(page, "proposal")

    page.reload()  # the thread as the server renders it, and the support remembered
    expect(page.locator("#supported-by-me")).to_be_visible()
    expect(page.locator("#support-button")).to_have_count(0)
    expect(page.locator("#comments > li.comment .comment-replies .comment__body")).to_have_text("And a drinking fountain.")
    expect(page.locator("#support-count")).to_contain_text("1 person supports")
    comments = web_server.query("SELECT body, parent_id FROM participation_comment ORDER BY id")
    assert comments[0]["parent_id"] is None and comments[1]["parent_id"] is not None


def test_a_resident_votes_a_knapsack_ballot_in_greek_is_refused_over_budget_and_sees_the_results(web, web_server, data):
    resident(web_server, "eleni", "D4")
    budget, projects = data["budget"], data["projects"]  # costs 60,000, 30,000, 25,000, 45,000 of 100,000

    page = sign_in(web, f"/participation/{BUDGETING}/ballot/{budget}/", "eleni", lang="el", phone=True)
    for project in projects[:3]:
        page.locator(f"#project-{project}").check()
    message = page.locator("#ballot-message")
    expect(message).to_contain_text("Υπέρβαση")  # 115,000 of 100,000
    expect(page.locator("#ballot-total")).to_contain_text("115.000")
    page.locator("#ballot-send").click()
    expect(message).to_be_focused()
    expect(page.locator("#ballot-result")).to_be_hidden()
    web.screenshot(page, "over-budget")
    # the server refuses such a ballot too, whatever a page would send
    answer = page.evaluate("""([url, ids]) => Site.request(url, {method: "PUT", body: {projects: ids}})
        .then(a => ({status: a.status, detail: a.data.detail, code: a.data.code}))""", [f"/api/participation/budgets/{budget}/ballot", projects[:3]])
    # in the page's language
    assert answer["status"] == 400 and answer["code"] == "over_budget" and "πάνω από τον προϋπολογισμό" in answer["detail"], answer
    assert web_server.query("SELECT count(*) AS n FROM participation_sealedballot")[0]["n"] == 0

    page.locator(f"#project-{projects[2]}").uncheck()  # 90,000
    expect(message).to_have_text("")
    page.locator("#ballot-send").click()
    expect(page.locator("#ballot-result")).to_be_visible()
    expect(page.locator("#ballot-result")).to_contain_text("Ευχαριστούμε")
    assert web_server.query("SELECT count(*) AS n FROM participation_sealedballot")[0]["n"] == 1  # sealed till the close

    # the vote closes, the city publishes the results
    open_phase(web_server, BUDGETING, "results")
    web_server.django("""
from django.contrib.auth.models import User
from participation.models import Budget
from participation.services.budgets import results_publish
results_publish(budget=Budget.objects.get(pk=budget), staff=User.objects.create_superuser("city", password="x"))
""", budget=budget)
    page.goto(f"/participation/{BUDGETING}/results/")
    rows = page.locator(f"#results-{budget} tbody tr.results-table__selected")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("Έργο 2")  # 1 vote each, the cheaper first
    expect(page.locator("#results-map")).to_have_attribute("data-projects", "2")
    expect(page.locator("#results-map path.project-shape")).to_have_count(2)
    expect(page.locator("#participation-map path.choropleth")).to_have_count(6)
    expect(page.locator("#participation-table tbody tr")).to_have_count(6)
    assert [b["total_cost"] for b in web_server.query("SELECT total_cost FROM participation_ballot")] == [90_000]
    web.screenshot(page, "results")
    figures = json.loads(page.evaluate("() => fetch('/api/participation/figures?by=process').then(r => r.text())"))
    assert figures["totals"]["votes"] == 1

    # the staff figures page counts the vote among the participation figures
    web_server.create_user("dora-p", PASSWORD, planner=True)
    staff = sign_in(web, "/staff/figures/", "dora-p")
    expect(staff.locator('#participation-cards [data-figure="votes"] .card__value')).to_have_text("1")
    expect(staff.locator("#participation-table tbody tr", has_text=BUDGETING)).to_have_count(1)
    staff.locator("#participation-by").select_option("month")
    expect(staff.locator("#participation-csv")).to_have_attribute("href", "/api/participation/figures?by=month&format=csv")


def test_the_form_without_a_map_proposes_by_address_with_the_keyboard_alone(web, web_server, data):
    resident(web_server, "kostas", "D4")
    # an earlier test may have moved the process on to its supports: proposals open again
    web_server.django("from tests.participation import pages_data\npages_data.reopen_phase(slug, 'proposals')", slug=IDEAS)
    page = sign_in(web, f"/participation/{IDEAS}/propose/text/", "kostas", lang="el")
    page.locator("#address-query").focus()
    page.keyboard.type("Γήπεδο Τούμπας")
    page.keyboard.press("Enter")
    first = page.locator("#address-results button").first
    expect(first).to_be_visible()
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")  # past the Find button, to the first place found
    expect(first).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#place-status")).to_be_focused()
    expect(page.locator("#place-status")).to_contain_text("Γήπεδο Τούμπας")
    page.locator("#title").focus()
    page.keyboard.type("Ποδηλατόδρομος ως το γήπεδο")
    page.keyboard.press("Tab")
    page.keyboard.type("Ασφαλής διαδρομή για ποδήλατα.")
    page.keyboard.press("Tab")
    page.keyboard.press("ArrowDown")  # the first category
    page.locator("#publish").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#proposal-result")).to_be_focused()
    expect(page.locator("#proposal-districts")).to_contain_text("4η Δημοτική Κοινότητα")
    stored = web_server.query("SELECT GeometryType(geom) AS kind FROM participation_proposal WHERE title = %s",
                              ["Ποδηλατόδρομος ως το γήπεδο"])
    assert [row["kind"] for row in stored] == ["POINT"]


def test_a_line_drawn_with_the_maps_centre_from_the_keyboard_is_stored_as_a_line(web, web_server, data):
    resident(web_server, "sofia", "D4")
    web_server.django("from tests.participation import pages_data\npages_data.reopen_phase(slug, 'proposals')", slug=IDEAS)
    start = web_server.query("SELECT ST_Y(p) AS lat, ST_X(p) AS lon FROM (SELECT ST_PointOnSurface(geom) AS p "
                             "FROM layers_district WHERE code = 'D4') x")[0]
    page = sign_in(web, f"/participation/{IDEAS}/propose/", "sofia")
    page.get_by_label("A line").check()
    centre = page.locator("#draw-centre")
    page.evaluate("([lat, lon]) => proposalMap.setView([lat, lon], 16, {animate: false})", [start["lat"], start["lon"]])
    centre.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#place-status")).to_contain_text("A line of 1 point is drawn.")
    page.locator("#draw-finish").focus()
    page.keyboard.press("Enter")  # one point is not a line yet
    expect(page.locator("#place-status")).to_contain_text("Add at least 2 points first.")
    page.evaluate("([lat, lon]) => proposalMap.setView([lat, lon], 16, {animate: false})", [start["lat"], start["lon"] + 0.001])
    centre.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#place-status")).to_contain_text("A line of 2 points is drawn.")
    page.locator("#draw-finish").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#proposal-map path.proposal-shape")).to_have_count(1)
    page.locator("#title").fill("A shaded footpath along the square")
    page.locator("#body").fill("Trees on both sides.")
    page.locator("#category").select_option("green")
    page.locator("#publish").click()
    shown = page.locator("#proposal-result:visible, #similar:visible")
    expect(shown).to_have_count(1)
    if page.locator("#similar").is_visible():
        page.locator("#publish").click()  # "Publish mine anyway"
    expect(page.locator("#proposal-result")).to_be_visible()
    stored = web_server.query("SELECT GeometryType(geom) AS kind, ST_NPoints(geom) AS points, "
                              "round(ST_X(ST_StartPoint(geom))::numeric, 6) AS lon FROM participation_proposal WHERE title = %s",
                              ["A shaded footpath along the square"])
    assert [(row["kind"], row["points"]) for row in stored] == [("LINESTRING", 2)]
    assert float(stored[0]["lon"]) == pytest.approx(start["lon"], abs=1e-5)


def test_a_proposal_without_a_title_on_the_greek_page_shows_the_greek_refusal_next_to_the_title(web, web_server, data):
    resident(web_server, "irini", "D4")
    web_server.django("from tests.participation import pages_data\npages_data.reopen_phase(slug, 'proposals')", slug=IDEAS)
    page = sign_in(web, f"/participation/{IDEAS}/propose/text/", "irini", lang="el")
    page.locator("#body").fill("Μια ιδέα χωρίς τίτλο.")
    page.locator("#publish").click()
    # the field comes from the answer's `parameter`, the words are the server's, in the page's language
    expect(page.locator("#error-title")).to_have_text(re.compile(r"^[^A-Za-z]*[Α-Ωα-ωάέήίόύώ][^A-Za-z]*$"))  # Greek words
    expect(page.locator("#title")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#error-form")).to_have_text("")
    expect(page.locator("#body")).to_have_value("Μια ιδέα χωρίς τίτλο.")


def test_the_process_page_filters_searches_and_pages_the_proposals_and_the_map_follows(web, web_server, data):
    web_server.django("""
from datetime import timedelta
from django.contrib.auth.models import User
from django.utils import timezone
from layers.models import District
from participation.models import Process, Proposal, ProposalDistrict
process, d4, now = Process.objects.get(slug=slug), District.objects.get(code="D4"), timezone.now()
author = User.objects.create_user("browsing-author")
place = d4.geom.point_on_surface
rows = [Proposal(process=process, author=author, title=f"Browsing idea {n:02d}", body="Something.",
                 state="accepted" if n % 3 == 0 else "published", geom=None if n % 10 == 0 else place,
                 district=None if n % 10 == 0 else d4, district_codes="" if n % 10 == 0 else "D4",
                 published_at=now + timedelta(hours=1) - timedelta(minutes=n)) for n in range(45)]
rows[7].title = "Πλατεία Ναυαρίνου με σκιά"
created = Proposal.objects.bulk_create(rows)
ProposalDistrict.objects.bulk_create(ProposalDistrict(proposal=p, district=d4, share=1.0) for p in created if p.geom)
""", slug=IDEAS)
    centre = web_server.query("SELECT ST_Y(ST_PointOnSurface(geom)) AS lat, ST_X(ST_PointOnSurface(geom)) AS lon "
                              "FROM layers_district WHERE code = 'D4'")[0]
    page = web.page(f"/participation/{IDEAS}/")
    listed = page.locator("#proposal-list li.proposal-item")
    expect(listed).to_have_count(20)
    expect(listed.first).to_contain_text("Browsing idea 00")
    expect(page.locator("#city-wide li")).to_have_count(5)  # ideas 00, 10, 20, 30 and 40 have no place
    page.evaluate("([lat, lon]) => processMap.setView([lat, lon], 18, {animate: false})", [centre["lat"], centre["lon"]])
    # the 40 with a place at that point, and whatever the tiles loaded before the move hold
    expect(page.locator("#process-map")).to_have_attribute("data-proposals-shown", re.compile(r"^([4-9]\d|\d{3})$"))

    # a state: the list is replaced and the map keeps the accepted ones with a place (03, 06, 09 ... 42 but 30)
    page.locator("#filter-state").select_option("accepted")
    expect(page.locator("#proposal-count")).to_contain_text("15 proposals")
    expect(page.locator("#process-map")).to_have_attribute("data-proposals-shown", "13")
    assert "state=accepted" in page.url

    # words without accents or capitals find the Greek title; the map keeps that one
    page.locator("#filter-state").select_option("")
    page.locator("#filter-q").fill("πλατεια ναυαρινου")
    page.locator("#filter-q").press("Enter")
    expect(listed).to_have_count(1)
    expect(listed.first).to_contain_text("Πλατεία Ναυαρίνου")
    expect(page.locator("#process-map")).to_have_attribute("data-proposals-shown", "1")
    web.screenshot(page, "browsing")

    # pages keep the filters; the second page of the published ones follows the first
    page.locator("#filter-q").fill("")
    page.locator("#filter-state").select_option("published")
    expect(page.locator("#proposal-count")).to_contain_text("page 1 of")
    first_page = listed.all_inner_texts()
    page.locator("#page-next").click()
    page.wait_for_url("**page=2**")
    assert "state=published" in page.url
    expect(page.locator("#filter-state")).to_have_value("published")
    assert not set(listed.all_inner_texts()) & set(first_page)


def test_an_approval_ballot_is_cast_in_the_browser_and_kept_sealed_until_the_count(web, web_server, data):
    resident(web_server, "yannis", "D2")
    web_server.django("from tests.participation import pages_data\npages_data.reopen_phase(slug, 'voting')", slug=BUDGETING)
    made = web_server.django("""
from layers.models import District
from participation.models import Budget, Process, Project
budget = Budget.objects.create(process=Process.objects.get(slug=slug), district=District.objects.get(code="D2"),
                               title_el="Δεύτερη κοινότητα", title_en="Second district", amount=50_000,
                               rule="approval", max_projects=2)
result = {"budget": budget.pk, "projects": [Project.objects.create(budget=budget, title_el=f"Πάρκο {n}",
          title_en=f"Park {n}", cost=10_000).pk for n in range(3)]}
""", slug=BUDGETING)
    budget, projects = made["budget"], made["projects"]
    page = sign_in(web, f"/participation/{BUDGETING}/ballot/{budget}/", "yannis")
    for project in projects:
        page.locator(f"#project-{project}").check()
    expect(page.locator("#ballot-message")).to_contain_text("at most 2 projects")
    page.locator("#ballot-send").click()
    expect(page.locator("#ballot-result")).to_be_hidden()
    page.locator(f"#project-{projects[0]}").uncheck()
    page.locator("#ballot-send").click()
    expect(page.locator("#ballot-result")).to_be_visible()
    sealed = web_server.query("SELECT count(*) AS n FROM participation_sealedballot WHERE budget_id = %s", [budget])
    anonymous = web_server.query("SELECT count(*) AS n FROM participation_ballot WHERE budget_id = %s", [budget])
    assert (sealed[0]["n"], anonymous[0]["n"]) == (1, 0)
    page.reload()  # the voter's own choices, opened from the sealed ballot
    expect(page.locator("#ballot-voted")).to_be_visible()
    expect(page.locator(f"#project-{projects[1]}")).to_be_checked()
    expect(page.locator(f"#project-{projects[0]}")).not_to_be_checked()


@pytest.fixture(scope="module")
def implemented(web_server) -> dict:
    return web_server.django("from tests.participation import implementation_data\n"
                             "result = implementation_data.build()")


def test_implementation_map_colours_by_status_with_progress_and_the_project_shows_milestones(web, implemented):
    page = web.page("/participation/implementation/?process=pb-implemented")
    in_progress = page.locator("#implementation-map path.implementation--in_progress")
    expect(in_progress).to_have_count(1)
    expect(page.locator("#implementation-map path.implementation--done")).to_have_count(1)
    # a point near a tile's edge is drawn by both tiles once the second arrives: the first of its shapes is clicked
    assert in_progress.first.evaluate("e => getComputedStyle(e).fill") == "rgb(178, 107, 0)"  # the legend's colour
    expect(page.locator("#implementation-legend .legend-swatch--in_progress")).to_be_visible()
    assert accessibility_violations(page) == []
    in_progress.first.click()
    popup = page.locator(".leaflet-popup-content")
    expect(popup).to_contain_text("Progress: 40 %")
    assert popup.locator("progress").get_attribute("value") == "40"
    popup.get_by_role("link", name="Open the project").click()
    page.wait_for_url(f"**/participation/projects/{implemented['in_progress']}/")
    milestones = page.locator("#project-milestones > li")
    expect(milestones).to_have_count(2)
    expect(milestones.nth(0)).to_contain_text("Works began")
    expect(milestones.nth(1)).to_contain_text("Trees planted")
    expect(milestones.nth(0).locator("img")).to_be_visible()
    expect(page.locator("#project-progress-value")).to_have_text("40 %")
    expect(page.locator("#project-map path.implementation--in_progress")).to_have_count(1)
    assert accessibility_violations(page) == []
