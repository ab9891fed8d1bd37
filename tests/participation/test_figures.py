"""Honest figures on hand-built data: demo data left out unless asked for and labelled when in; co-creation
participants are the accepted co-authors; the outcome indicator per year of completion, each project counted once;
each figure's definition in the JSON and the CSV."""
import csv
import io
from datetime import date

import pytest
from django.utils import timezone

from participation.models import Budget, CoAuthor, Comment, Implementation, MunicipalProject, Project, Proposal

from .conftest import make_process

pytestmark = pytest.mark.django_db
API = "/api/participation/figures"


def proposal(process, author, state="published", **fields):
    return Proposal.objects.create(process=process, author=author, title="t", body="b", state=state,
                                   published_at=timezone.now(), **fields)


def row(client, key, **params):
    body = client.get(API, {"by": "process", **params}).json()
    return body, next((r for r in body["rows"] if r["key"] == key), None)


def test_figures_leave_demo_data_out_unless_asked_and_say_when_in(client, resident):
    real = make_process(slug="real-process")
    demo = make_process(slug="demo-process", demo=True)
    proposal(real, resident("D1"))
    proposal(demo, resident("D2"))
    body, demo_row = row(client, "demo-process")
    assert demo_row is None and row(client, "real-process")[1]["proposals"] == 1
    assert (body["include_demo"], body["demo_label"]) == (False, None)
    body, demo_row = row(client, "demo-process", include_demo="true")
    assert demo_row["proposals"] == 1 and body["demo_label"].startswith("Includes demo data")


def test_figures_leave_a_demo_proposal_out_of_a_real_process(client, resident):
    real = make_process(slug="real-process")
    proposal(real, resident("D1"))
    proposal(real, resident("D1"), demo=True)
    assert row(client, "real-process")[1]["participants"] == 1
    assert row(client, "real-process", include_demo="yes")[1]["participants"] == 2


def test_co_creation_participants_are_the_accepted_co_authors(client, resident):
    process = make_process(slug="co-design", kind="co_creation")
    author, joined, invited, commenter = resident("D1"), resident("D1"), resident("D1"), resident("D1")
    written = proposal(process, author)
    CoAuthor.objects.create(proposal=written, user=joined, invited_by=author, accepted_at=timezone.now())
    CoAuthor.objects.create(proposal=written, user=invited, invited_by=author)  # not accepted: not counted
    Comment.objects.create(proposal=written, author=commenter, body="c")
    figures = row(client, "co-design")[1]
    assert (figures["co_creation_participants"], figures["participants"]) == (1, 3)
    other = make_process(slug="budget-with-coauthor")
    elsewhere = proposal(other, author)
    CoAuthor.objects.create(proposal=elsewhere, user=commenter, invited_by=author, accepted_at=timezone.now())
    assert row(client, "budget-with-coauthor")[1]["co_creation_participants"] == 1  # in any kind of process


def test_bad_include_demo_is_a_400_naming_it(client):
    answer = client.get(API, {"include_demo": "maybe"})
    assert (answer.status_code, answer.json()["parameter"]) == (400, "include_demo")


@pytest.fixture
def implemented(staff):
    """2024: one register project done, linked to a done implementation record (counted once, participatory).
    2025: a register project done with a process, one without, a planned one, a done record no register project
    names, and a demo register project done."""
    process = make_process(open_phase="implementation", slug="outcome-process")
    budget = Budget.objects.create(process=process, title_el="b", title_en="b", amount=100)
    project = Project.objects.create(budget=budget, title_el="p", title_en="p", cost=10, selected=True)
    done = {"process": process, "title_el": "x", "title_en": "x", "status": "done", "progress": 100}
    linked = Implementation.objects.create(project=project, ends_on=date(2024, 6, 1), **done)
    Implementation.objects.create(proposal=proposal(process, staff, state="selected"), ends_on=date(2025, 9, 1), **done)

    def register(title, completed_on, status="done", **fields):
        MunicipalProject.objects.create(title_el=title, title_en=title, year=2025, status=status,
                                        completed_on=completed_on, **fields)

    register("linked", date(2024, 7, 1), implementation=linked)
    register("with process", date(2025, 3, 1), process=process)
    register("without", date(2025, 4, 1))
    register("planned", None, status="planned", process=process)
    register("demo", date(2025, 5, 1), demo=True)
    return process


def years(answer):
    return {r["year"]: (r["implemented_projects"], r["participatory_projects"], r["share"]) for r in answer["rows"]
            if r["year"] in (2024, 2025)}


def test_outcome_indicator_per_year_counts_each_project_once(client, implemented):
    answer = client.get(f"{API}/outcome").json()
    assert years(answer) == {2024: (1, 1, 1.0), 2025: (3, 2, 0.6667)}
    assert "÷ all implemented municipal projects" in answer["definition"]
    with_demo = client.get(f"{API}/outcome", {"include_demo": "true"}).json()
    assert years(with_demo)[2025] == (4, 2, 0.5) and with_demo["demo_label"]


def test_outcome_and_figures_csv_carry_each_definition(client, implemented):
    rows = list(csv.reader(io.StringIO(client.get(f"{API}/outcome", {"format": "csv"}).content.decode())))
    assert rows[0] == ["year", "implemented_projects", "participatory_projects", "share"]
    assert ["2025", "3", "2", "0.6667"] in rows
    definitions = {r[1] for r in rows if r and r[0] == "definition"}
    assert definitions == {"implemented_projects", "participatory_projects", "share"}
    assert ["demo data", "left out", ""] in rows
    figures = list(csv.reader(io.StringIO(client.get(API, {"by": "district", "format": "csv"}).content.decode())))
    assert {r[1] for r in figures if r and r[0] == "definition"} >= {"participants", "co_creation_participants"}
