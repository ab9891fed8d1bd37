"""The KPI dashboard in a real browser: the key figures, the four charts, the district choropleth, the CSV download,
a manager's own department in Greek, a scope the server refuses, and the printable choropleth made by folium."""
import re

import pytest
from playwright.sync_api import expect

from tests.support.printable_html import linked_assets
from tests.support.staff_accounts import PASSWORD, sign_in, sign_in_for_printable_pages

pytestmark = pytest.mark.browser

FIGURES = "/staff/figures/"

# Reports of three months: (category, lon, lat, days ago, resolved after days or None)
REPORTS = [
    ("pothole", 22.9484, 40.6264, 70, 5), ("pothole", 22.9700, 40.6150, 68, None),
    ("damaged-pavement", 22.9600, 40.6050, 40, 2), ("pothole", 22.9484, 40.6264, 38, 10), ("pothole", 22.9400, 40.6350, 35, None),
    ("pothole", 22.9700, 40.6150, 3, None),
    ("street-light-out", 22.9484, 40.6264, 36, 1),
]


@pytest.fixture(scope="module")
def reports(web_server):
    """The reports above, posted and resolved in the past through the service layer, and the accounts; answers the
    months with their reports posted and solved, [["2026-09", 2, 1], ...]."""
    web_server.create_user("babis", PASSWORD, department="roads-pavements", role="manager")
    web_server.create_user("dora", PASSWORD, planner=True)
    return web_server.django(
        """
from datetime import timedelta
from django.contrib.gis.geos import Point
from django.utils import timezone
from issues.models import Category, Issue
from issues.services.lifecycle import issue_transition
from issues.services.reporting import issue_report
now = timezone.now()
for code, lon, lat, days_ago, resolved_after in reports:
    issue = issue_report(category=Category.objects.get(service_code=code), point=Point(lon, lat, srid=4326), actor="test").issue
    if resolved_after is not None:
        issue_transition(issue=issue, to_status="resolved", actor="test")
    posted = now - timedelta(days=days_ago)
    Issue.objects.filter(pk=issue.pk).update(
        created_at=posted, resolved_at=posted + timedelta(days=resolved_after) if resolved_after is not None else None)
months = {}
for code, lon, lat, days_ago, resolved_after in reports:
    month = months.setdefault(timezone.localtime(now - timedelta(days=days_ago)).strftime("%Y-%m"), [0, 0])
    month[0] += 1
    month[1] += resolved_after is not None
result = [[name, *months[name]] for name in sorted(months)]
""",
        reports=REPORTS,
    )


def card(page, label: str):
    return page.locator(".card", has=page.locator(".card__label", has_text=re.compile(f"^{re.escape(label)}$"))).locator(".card__value")


def test_a_planner_sees_the_key_figures_and_the_charts(web, reports):
    page = sign_in(web, FIGURES, "dora")
    expect(card(page, "reports posted")).to_have_text("7")
    expect(card(page, "solved")).to_have_text("4")
    expect(card(page, "share solved")).to_have_text("57 %")
    expect(card(page, "open now")).to_have_text("3")
    months = len(reports)
    expect(page.locator("#chart-per-month rect.bar--posted")).to_have_count(months)
    expect(page.locator("#chart-per-month rect.bar--solved")).to_have_count(months)
    expect(page.locator("#chart-share-solved circle.dot--share")).to_have_count(months)
    expect(page.locator("#chart-days-to-resolve rect.bar--days")).to_have_count(6)  # one bar per district
    expect(page.locator("#chart-backlog rect.bar--backlog")).to_have_count(4)
    # each chart's numbers, as a table
    page.locator("#chart-per-month summary").click()
    first_month = page.locator("#chart-per-month tbody tr").first
    expect(first_month.locator("th")).to_have_text(reports[0][0])
    expect(first_month.locator("td")).to_have_text([str(reports[0][1]), str(reports[0][2])])
    web.screenshot(page, "figures")


def test_the_district_choropleth_draws_and_follows_the_chosen_figure(web, reports):
    page = sign_in(web, FIGURES, "dora")
    districts = page.locator("#figures-map path.figures-district")
    expect(districts).to_have_count(6)
    expect(page.locator("#figures-map path.figures-district--4")).not_to_have_count(0)  # the busiest district
    expect(page.locator("#figures-legend li")).to_have_count(6)  # the figure's name and five classes
    expect(page.locator("#figures-legend li").first).to_have_text("Reports posted")
    page.select_option("#choropleth-metric", "share_solved")
    expect(page.locator("#figures-legend li").first).to_have_text("Share solved")
    expect(page.locator("#printable-map")).to_have_attribute("href", re.compile(r"^/staff/figures/map\?.*metric=share_solved"))


def test_the_csv_download_has_the_figures_of_the_scope(web, reports):
    page = sign_in(web, FIGURES, "dora")
    expect(card(page, "reports posted")).to_have_text("7")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download CSV").click()
    text = open(download.value.path(), encoding="utf-8").read()
    assert text.splitlines()[0] == "metric,value"
    assert "posted,7" in text.splitlines() and "solved,4" in text.splitlines()


def test_a_manager_sees_their_department_in_greek(web, reports):
    page = sign_in(web, FIGURES, "babis", lang="el")
    expect(page.locator("h1")).to_have_text("Δείκτες")
    expect(page.locator("#scope-department option")).to_have_count(1)
    expect(page.locator("#scope-department")).to_have_value("roads-pavements")
    expect(card(page, "αναφορές")).to_have_text("6")  # the street light is another department's
    expect(page.locator("#chart-per-month figcaption")).to_have_text("Αναφορές που υποβλήθηκαν και επιλύθηκαν ανά μήνα")
    expect(page.locator("#chart-per-month rect.bar--posted")).to_have_count(len(reports))


def test_a_scope_the_server_refuses_is_said(web, reports):
    page = sign_in(web, FIGURES, "dora")
    expect(card(page, "reports posted")).to_have_text("7")
    page.fill("#scope-from", "2026-06-01")
    page.fill("#scope-to", "2026-01-01")
    page.get_by_role("button", name="Show", exact=True).click()
    expect(page.locator("#figures-message")).to_have_text("The figures could not be read (400): to: must be after from")


def test_the_printable_choropleth_draws_with_nothing_from_another_server(web, reports):
    page = sign_in_for_printable_pages(web, "dora")
    answer = page.request.get("/staff/figures/map?metric=open")
    assert answer.status == 200
    assets = linked_assets(answer.text())
    assert assets and all(url.startswith(web.server.url + "/static/") for url in assets), assets
    page.goto("/staff/figures/map?metric=open")
    expect(page.locator(".folium-map path.leaflet-interactive")).to_have_count(6)
    expect(page.locator("#district-figures tbody tr")).to_have_count(6)
    web.screenshot(page, "printable-choropleth")
    assert web.requests_leaving_localhost() == []
