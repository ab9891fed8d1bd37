"""Implementation records: made once for a selected project or an accepted proposal, the rules of status, progress,
dates and milestones (each its own test), the proposal following, the staff API and its refusals."""
from datetime import date

import pytest
from django.contrib.gis.geos import Point

from issues.models import Department
from participation.errors import Conflict, InvalidInput
from participation.models import Implementation, Milestone, Notice, NoticeEmail, Project, Proposal
from participation.services.implementation import (
    implementation_for_project, implementation_for_proposal, implementation_update, implementations_start,
    milestone_add,
)
from participation.services.budgets import ballot_submit, results_publish
from participation.services.notifications import follow_start

from .conftest import make_budget, make_process, set_phase

pytestmark = pytest.mark.django_db
PLACE = Point(22.9444, 40.6322, srid=4326)


def proposal_in(process, author, state=Proposal.State.SELECTED, title="Πάρκο / Park"):
    return Proposal.objects.create(process=process, author=author, title=title, body="b", state=state, geom=PLACE,
                                   cost_estimate=50_000)


@pytest.fixture
def selected(staff):
    """A project the vote selected, from a selected proposal, and its record."""
    process = make_process(open_phase="implementation", slug="pb-impl")
    budget = make_budget(process, amount=100_000, district="D1")
    proposal = proposal_in(process, staff)
    project = Project.objects.create(budget=budget, proposal=proposal, title_el="Πάρκο", title_en="Park",
                                     cost=50_000, geom=PLACE, selected=True)
    record, _ = implementation_for_project(project=project, staff=staff)
    return record


def update(record, staff, **values):
    return implementation_update(implementation=record, staff=staff, values=values)


def test_implementation_for_a_selected_project_is_made_once(selected, staff):
    again, created = implementation_for_project(project=selected.project, staff=staff)
    assert (again.id, created) == (selected.id, False)
    assert implementations_start(staff=staff, process=selected.process) == {"created": 0, "existing": 1}
    assert Implementation.objects.filter(project=selected.project).count() == 1
    assert (selected.title_en, selected.cost, selected.status, selected.progress) == ("Park", 50_000, "planned", 0)


def test_implementation_of_an_unselected_project_is_refused(selected, staff):
    other = Project.objects.create(budget=selected.project.budget, title_el="Α", title_en="A", cost=10)
    with pytest.raises(Conflict) as refusal:
        implementation_for_project(project=other, staff=staff)
    assert refusal.value.status == 409


def test_accepted_proposal_of_a_process_without_budget_gets_a_record(staff):
    process = make_process(open_phase="implementation", slug="co-impl", kind="co_creation")
    accepted = proposal_in(process, staff, state=Proposal.State.ACCEPTED, title="Σκιά / Shade")
    proposal_in(process, staff, state=Proposal.State.REJECTED)
    assert implementations_start(staff=staff, process=process) == {"created": 1, "existing": 0}
    record = Implementation.objects.get(proposal=accepted)
    assert (record.title_el, record.title_en) == ("Σκιά", "Shade")
    with pytest.raises(Conflict):
        implementation_for_proposal(proposal=proposal_in(process, staff, state=Proposal.State.PUBLISHED), staff=staff)


def test_progress_above_100_is_refused(selected, staff):
    with pytest.raises(InvalidInput) as refusal:
        update(selected, staff, progress=101)
    assert refusal.value.parameter == "progress"


def test_done_needs_100_percent(selected, staff):
    with pytest.raises(InvalidInput) as refusal:
        update(selected, staff, status="done", progress=90, ends_on=date(2025, 9, 1))
    assert (refusal.value.parameter, refusal.value.code) == ("progress", "done_not_complete")


def test_done_needs_an_end_date(selected, staff):
    with pytest.raises(InvalidInput) as refusal:
        update(selected, staff, status="done", progress=100)
    assert refusal.value.parameter == "ends_on"
    assert Implementation.objects.get(pk=selected.pk).status == "planned"  # nothing half-written


def test_end_before_start_is_refused(selected, staff):
    with pytest.raises(InvalidInput) as refusal:
        update(selected, staff, starts_on=date(2025, 5, 1), ends_on=date(2025, 4, 1))
    assert refusal.value.parameter == "ends_on"


def test_cancelled_needs_a_reason(selected, staff):
    with pytest.raises(InvalidInput) as refusal:
        update(selected, staff, status="cancelled")
    assert refusal.value.parameter == "cancel_reason"
    update(selected, staff, status="cancelled", cancel_reason="The plot was sold.")
    assert Implementation.objects.get(pk=selected.pk).cancel_reason == "The plot was sold."


def test_milestone_before_the_start_is_refused(selected, staff):
    update(selected, staff, starts_on=date(2025, 3, 1))
    with pytest.raises(InvalidInput) as refusal:
        milestone_add(implementation=selected, staff=staff, on=date(2025, 2, 28), text_en="Early")
    assert (refusal.value.parameter, refusal.value.code) == ("date", "before_start")


def test_start_moved_after_a_milestone_is_refused(selected, staff):
    milestone_add(implementation=selected, staff=staff, on=date(2025, 3, 1), text_el="Μελέτη")
    with pytest.raises(InvalidInput) as refusal:
        update(selected, staff, starts_on=date(2025, 4, 1))
    assert refusal.value.parameter == "starts_on"


def test_milestone_on_a_cancelled_project_is_refused(selected, staff):
    update(selected, staff, status="cancelled", cancel_reason="No funds.")
    with pytest.raises(Conflict):
        milestone_add(implementation=selected, staff=staff, on=date(2025, 3, 1), text_en="Work")


def test_proposal_follows_in_progress_then_done(selected, staff):
    update(selected, staff, status="in_progress", progress=40, starts_on=date(2025, 3, 1))
    assert Proposal.objects.get(pk=selected.proposal_id).state == "in_progress"
    change = update(selected, staff, status="done", progress=100, ends_on=date(2025, 9, 30))
    assert set(change.changed) == {"status", "progress", "ends_on"}
    proposal = Proposal.objects.get(pk=selected.proposal_id)
    assert proposal.state == "done"
    assert list(proposal.events.values_list("to_state", flat=True))[-2:] == ["in_progress", "done"]
    assert update(selected, staff, status="done", progress=100).changed == {}  # the same again changes nothing


def test_api_staff_update_and_milestone_then_public_detail(selected, staff, client):
    Department.objects.get_or_create(slug="green-spaces", defaults={"name_el": "Πράσινο", "name_en": "Green"})
    client.force_login(staff)
    url = f"/api/participation/implementations/{selected.id}"
    answer = client.patch(url, {"status": "in_progress", "progress": 30, "starts_on": "2025-03-01",
                                "spent": 12_000, "department": "green-spaces"}, content_type="application/json")
    assert answer.status_code == 200, answer.json()
    assert (answer.json()["progress"], answer.json()["department"]["slug"]) == (30, "green-spaces")
    answer = client.post(url + "/milestones", {"date": "2025-02-01", "text_en": "Too early"},
                         content_type="application/json")
    assert (answer.status_code, answer.json()["parameter"]) == (400, "date")
    answer = client.post(url + "/milestones", {"date": "2025-04-01", "text_el": "Ξεκίνησαν οι εργασίες",
                                               "text_en": "Works began"}, content_type="application/json")
    assert answer.status_code == 201
    answer = client.patch(url, {"progress": 101}, content_type="application/json")
    assert (answer.status_code, answer.json()["parameter"]) == (400, "progress")
    client.logout()
    detail = client.get(url).json()
    assert [m["text_en"] for m in detail["milestones"]] == ["Works began"]
    assert client.patch(url, {"progress": 50}, content_type="application/json").status_code in (401, 403)
    listed = client.get("/api/participation/implementations?process=pb-impl&status=in_progress").json()
    assert [r["id"] for r in listed["results"]] == [selected.id]


def test_api_resident_may_not_update(selected, resident, client):
    client.force_login(resident("D1"))
    answer = client.patch(f"/api/participation/implementations/{selected.id}", {"progress": 50},
                          content_type="application/json")
    assert answer.status_code == 403
    assert Implementation.objects.get(pk=selected.pk).progress == 0


def test_api_start_twice_answers_201_then_200(selected, staff, client):
    project = selected.project
    Implementation.objects.filter(pk=selected.pk).delete()
    client.force_login(staff)
    first = client.post("/api/participation/implementations", {"project_id": project.id},
                        content_type="application/json")
    second = client.post("/api/participation/implementations", {"project_id": project.id},
                         content_type="application/json")
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"]
    assert Milestone.objects.filter(implementation__project=project).count() == 0


def test_a_follower_of_the_project_is_told_of_a_milestone_once(selected, staff, resident):
    follower = resident("D1")
    follow_start(user=follower, project=selected.project)
    milestone_add(implementation=selected, staff=staff, on=date(2025, 4, 1), text_el="Ξεκίνησαν οι εργασίες",
                  text_en="Works began")
    notices = Notice.objects.filter(user=follower, kind="milestone")
    assert [(n.text_en, n.url) for n in notices] == [
        ("“Park”: a new milestone on 2025-04-01: Works began", f"/participation/projects/{selected.id}/")]
    assert notices[0].text_el.endswith("Ξεκίνησαν οι εργασίες")
    assert NoticeEmail.objects.filter(user=follower).count() == 1
    proposal_follower = resident("D1")
    follow_start(user=proposal_follower, proposal=selected.proposal)
    update(selected, staff, status="in_progress", progress=10)  # the proposal's new state: told to its followers
    assert [n.text_en for n in Notice.objects.filter(user=proposal_follower, kind="state")] == [
        "“Πάρκο / Park” is now: In progress."]


def test_publishing_results_starts_the_implementation_of_the_selected_projects(staff, resident):
    process = make_process(open_phase="voting", slug="pb-publish")
    budget = make_budget(process, amount=100, district="D1")
    winner, loser = [Project.objects.create(budget=budget, title_el=t, title_en=t, cost=c, geom=PLACE)
                     for t, c in (("Bench", 60), ("Park", 70))]
    ballot_submit(budget=budget, user=resident("D1"), project_ids=[winner.id])
    set_phase(process, "results")
    results_publish(budget=budget, staff=staff)
    results_publish(budget=budget, staff=staff)  # again: nothing new
    assert list(Implementation.objects.filter(process=process).values_list("project_id", "status")) == [
        (winner.id, "planned")]
