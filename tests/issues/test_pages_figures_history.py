"""The figures page shows the history imported from the previous system: a part of the demo's ImproveMyCity export,
imported with issues_import_csv into a server of its own, counted by month in the planner's figures."""
import csv
import io
from collections import Counter
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.issues.test_pages_figures import card
from tests.support.staff_accounts import PASSWORD, sign_in

pytestmark = pytest.mark.browser

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "thessaloniki"
ROWS = 60  # the export's first 60 reports (early 2024)


@pytest.fixture(scope="module")
def history(web_server, tmp_path_factory):
    text = (FIXTURES / "history-improvemycity.csv").read_text("utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))[:ROWS]
    part = tmp_path_factory.mktemp("history") / "part.csv"
    with part.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    web_server.create_user("dora", PASSWORD, planner=True)
    summary = web_server.django(
        """
import io
from django.core.management import call_command
out = io.StringIO()
call_command("issues_import_csv", path, "--mapping", mapping, "--commit", stdout=out)
result = out.getvalue()
""",
        path=str(part), mapping=str(FIXTURES / "history-mapping.toml"),
    )
    assert f"{ROWS} created" in summary
    return rows


def test_the_figures_cover_the_imported_years(web, history):
    page = sign_in(web, "/staff/figures/", "dora")
    page.fill("#scope-from", "2024-01-01")
    page.fill("#scope-to", "2024-12-31")
    page.get_by_role("button", name="Show", exact=True).click()
    solved = sum(1 for row in history if row["resolved"])
    expect(card(page, "reports posted")).to_have_text(str(ROWS))
    expect(card(page, "solved")).to_have_text(str(solved))
    months = Counter(row["created"][:7] for row in history)
    expect(page.locator("#chart-per-month rect.bar--posted")).to_have_count(len(months))
    page.locator("#chart-per-month summary").click()
    first = sorted(months)[0]
    expect(page.locator("#chart-per-month tbody tr").first.locator("th")).to_have_text(first)
    expect(page.locator("#chart-per-month tbody tr").first.locator("td").first).to_have_text(str(months[first]))
    web.screenshot(page, "figures-imported-history")
