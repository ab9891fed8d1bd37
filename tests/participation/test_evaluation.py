"""The staff workspace's rules: who evaluates which proposal, what an answer must carry, what goes on a ballot,
publishing a vote's results (after it closes, once), and the admin going through the same services."""
import io
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import Client, TestCase
from django.utils import timezone
from rest_framework.test import APIClient

from issues.models import Department, DepartmentMembership
from layers.models import District
from participation.errors import Conflict
from participation.models import Budget, Phase, Project, Proposal, ProposalCategory, ProposalDistrict, ProposalEvent
from participation.services.budgets import ballot_submit, project_create, results_publish

from .conftest import inside_point, make_budget, make_process, verified

API = "/api/participation"


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def proposal_in(process, category, *, title: str, state: str = Proposal.State.PUBLISHED, author,
                district: str | None = None, cost: int | None = None) -> Proposal:
    """A proposal as the services leave it (at a point inside the district, its share there), in any state."""
    found = District.objects.get(code=district) if district else None
    proposal = Proposal.objects.create(
        process=process, category=category, author=author, title=title, body="Why.", state=state,
        geom=inside_point(district) if district else None, district=found, district_codes=district or "",
        cost_estimate=cost, published_at=timezone.now(), feasibility="Feasible." if cost else "")
    if found:
        ProposalDistrict.objects.create(proposal=proposal, district=found, share=1)
    return proposal


def close_voting(process) -> None:
    """Move the voting phase (and every later one) into the past: voting has closed."""
    shift = timezone.now() - Phase.objects.get(process=process, kind="voting").ends_at - timedelta(hours=1)
    for phase in Phase.objects.filter(process=process).order_by("position"):  # earlier first: no overlap meanwhile
        phase.starts_at += shift
        phase.ends_at += shift
        phase.save()


class PublishingResults(TestCase):
    """A budget whose vote is open: two evaluated proposals on the ballot, three ballots."""

    @classmethod
    def setUpTestData(cls):
        users = get_user_model().objects
        cls.staff = users.create_user("city-staff", password="pw-123456", is_staff=True)
        cls.process = make_process(open_phase="voting", slug="pb-publish")
        cls.budget = make_budget(cls.process, amount=100, district="D1")
        author = users.create_user("author", password="pw-123456")
        cls.winner_proposal = proposal_in(cls.process, None, title="Bench", state="evaluated", author=author, cost=60)
        cls.loser_proposal = proposal_in(cls.process, None, title="Park", state="evaluated", author=author, cost=70)
        cls.winner = project_create(budget=cls.budget, staff=cls.staff, cost=60, proposal=cls.winner_proposal)
        cls.loser = project_create(budget=cls.budget, staff=cls.staff, cost=70, proposal=cls.loser_proposal)
        for n, chosen in enumerate([cls.winner, cls.winner, cls.loser]):
            voter = verified(users.create_user(f"voter{n}", password="pw-123456"), "D1")
            ballot_submit(budget=cls.budget, user=voter, project_ids=[chosen.id])

    def test_publish_before_voting_closes_is_refused_with_the_date_it_closes(self):
        ends = Phase.objects.get(process=self.process, kind="voting").ends_at
        response = client_for(self.staff).post(f"{API}/budgets/{self.budget.id}/results/publish")
        assert response.status_code == 409, response.content
        body = response.json()
        assert body["code"] == "voting_open"
        assert body["closes_at"] == ends.isoformat()
        assert ends.isoformat() in body["detail"]
        assert not Project.objects.filter(budget=self.budget, selected=True).exists()

    def test_publish_twice_changes_nothing_and_says_so(self):
        close_voting(self.process)
        first = client_for(self.staff).post(f"{API}/budgets/{self.budget.id}/results/publish")
        assert first.status_code == 200, first.content
        assert first.json()["changed"] is True
        assert first.json()["selected_proposals"] == [self.winner_proposal.id]
        before = (list(Project.objects.filter(budget=self.budget).values_list("id", "selected", "votes")),
                  ProposalEvent.objects.count(), self.process.budgets.get().results_published_at)
        second = client_for(self.staff).post(f"{API}/budgets/{self.budget.id}/results/publish")
        assert second.status_code == 200
        assert second.json()["changed"] is False
        assert "changed nothing" in second.json()["message"]
        assert second.json()["published_at"] == first.json()["published_at"]
        after = (list(Project.objects.filter(budget=self.budget).values_list("id", "selected", "votes")),
                 ProposalEvent.objects.count(), self.process.budgets.get().results_published_at)
        assert after == before
        assert Proposal.objects.get(pk=self.winner_proposal.pk).state == "selected"
        assert Proposal.objects.get(pk=self.loser_proposal.pk).state == "evaluated"

    def test_publish_is_for_the_citys_staff(self):
        close_voting(self.process)
        resident = get_user_model().objects.create_user("someone", password="pw-123456")
        response = client_for(resident).post(f"{API}/budgets/{self.budget.id}/results/publish")
        assert response.status_code == 403
        assert not Project.objects.filter(budget=self.budget, selected=True).exists()

    def test_command_refuses_before_the_vote_closes_then_publishes_once(self):
        ends = Phase.objects.get(process=self.process, kind="voting").ends_at
        with self.assertRaisesMessage(CommandError, ends.isoformat()):
            call_command("participation_publish_results", str(self.budget.id), stdout=io.StringIO())
        close_voting(self.process)
        out = io.StringIO()
        call_command("participation_publish_results", str(self.budget.id), stdout=out)
        assert "ballots: 3, projects selected: 1" in out.getvalue()
        assert f"1 proposals selected: {self.winner_proposal.id}" in out.getvalue()
        again = io.StringIO()
        call_command("participation_publish_results", str(self.budget.id), stdout=again)
        assert "publishing again changed nothing" in again.getvalue()
        assert Project.objects.get(pk=self.winner.pk).votes == 2

    def test_ballot_closed_once_results_are_published(self):
        close_voting(self.process)
        results_publish(budget=self.budget, staff=self.staff)
        third = proposal_in(self.process, None, title="Late", state="evaluated", author=self.staff, cost=10)
        with self.assertRaises(Conflict):
            project_create(budget=Project.objects.get(pk=self.winner.pk).budget, staff=self.staff, cost=10,
                           proposal=third)


class Evaluating(TestCase):
    """An evaluation under way: proposals in the fields of two departments; the city's staff, a member of the roads
    department (an evaluator of its field), and a resident."""

    @classmethod
    def setUpTestData(cls):
        users = get_user_model().objects
        cls.staff = users.create_user("city-staff", password="pw-123456", is_staff=True)
        cls.roads_member = users.create_user("roads-evaluator", password="pw-123456")
        cls.resident = users.create_user("resident", password="pw-123456")
        roads, parks = Department.objects.get(slug="roads-pavements"), Department.objects.get(slug="parks-trees")
        DepartmentMembership.objects.create(user=cls.roads_member, department=roads)
        mobility = ProposalCategory.objects.create(slug="t-mobility", name_el="Κινητικότητα", name_en="Mobility",
                                                   department=roads)
        green = ProposalCategory.objects.create(slug="t-green", name_el="Πράσινο", name_en="Greenery", department=parks)
        cls.process = make_process(open_phase="evaluation", slug="pb-evaluate")
        cls.budget = make_budget(cls.process, amount=100_000, district="D1")
        cls.crossing = proposal_in(cls.process, mobility, title="Safer crossing", author=cls.resident,
                                   district="D1")
        cls.trees = proposal_in(cls.process, green, title="Trees on the square", author=cls.resident,
                                district="D2")
        cls.accepted = proposal_in(cls.process, mobility, title="Cycle lane", state="accepted", author=cls.resident)

    def answer(self, user, proposal, **body):
        return client_for(user).post(f"{API}/proposals/{proposal.id}/answer", body, format="json")

    def test_department_evaluator_acts_only_on_the_proposals_of_its_field(self):
        mine = self.answer(self.roads_member, self.crossing, state="accepted", reason="Feasible on this street.")
        assert mine.status_code == 200, mine.content
        other = self.answer(self.roads_member, self.trees, state="accepted", reason="Feasible.")
        assert other.status_code == 403
        assert "Parks and Trees Directorate" in other.json()["detail"]
        assert other.json()["assigned_department"] == "parks-trees"
        assert Proposal.objects.get(pk=self.trees.pk).state == "published"
        self.client.force_login(self.roads_member)
        queue = self.client.get("/participation/staff/")
        assert queue.status_code == 200
        listed = queue.content.decode()
        assert "Safer crossing" in listed and "Cycle lane" in listed and "Trees on the square" not in listed
        assert self.client.get(f"/participation/staff/proposals/{self.trees.id}/").status_code == 403
        assert self.client.get(f"/participation/staff/proposals/{self.crossing.id}/").status_code == 200

    def test_a_resident_cannot_open_the_evaluation_queue(self):
        self.client.force_login(self.resident)
        response = self.client.get("/participation/staff/")
        assert response.status_code == 403
        assert self.answer(self.resident, self.crossing, state="accepted", reason="x").status_code == 403

    def test_reject_needs_a_public_reason(self):
        response = self.answer(self.staff, self.trees, state="rejected", reason="  ")
        assert response.status_code == 400
        assert response.json()["parameter"] == "reason"
        assert Proposal.objects.get(pk=self.trees.pk).state == "published"

    def test_evaluate_needs_the_cost(self):
        response = self.answer(self.staff, self.accepted, state="evaluated", feasibility="Feasible.")
        assert response.status_code == 400
        assert response.json()["parameter"] == "cost_estimate"
        assert Proposal.objects.get(pk=self.accepted.pk).state == "accepted"

    def test_evaluation_names_the_responsible_department(self):
        response = self.answer(self.staff, self.accepted, state="evaluated", cost_estimate=40_000,
                               feasibility="Feasible in a year.", department="traffic-signs")
        assert response.status_code == 200, response.content
        evaluated = Proposal.objects.get(pk=self.accepted.pk)
        assert (evaluated.state, evaluated.cost_estimate, evaluated.department.slug) == ("evaluated", 40_000,
                                                                                         "traffic-signs")
        unknown = self.answer(self.staff, self.crossing, state="evaluated", cost_estimate=1, feasibility="x",
                              department="no-such")
        assert unknown.status_code == 400 and unknown.json()["parameter"] == "department"

    def test_only_an_evaluated_proposal_goes_on_the_ballot(self):
        url = f"{API}/budgets/{self.budget.id}/projects"
        refused = client_for(self.staff).post(url, {"proposal_id": self.accepted.id, "cost": 40_000}, format="json")
        assert refused.status_code == 409
        assert refused.json()["code"] == "not_evaluated"
        self.answer(self.staff, self.accepted, state="evaluated", cost_estimate=40_000, feasibility="Feasible.")
        made = client_for(self.staff).post(url, {"proposal_id": self.accepted.id, "cost": 40_000}, format="json")
        assert made.status_code == 201, made.content
        again = client_for(self.staff).post(url, {"proposal_id": self.accepted.id, "cost": 40_000}, format="json")
        assert again.status_code == 409 and again.json()["code"] == "already_on_ballot"
        assert Project.objects.filter(budget=self.budget).count() == 1

    def test_queue_filters_and_sorts_and_the_map_follows(self):
        Proposal.objects.filter(pk=self.trees.pk).update(support_count=9)
        self.client.force_login(self.staff)
        page = self.client.get("/participation/staff/", {"process": "pb-evaluate", "sort": "-supports"})
        rows = [r for r in page.content.decode().split('<tr data-proposal="')[1:]]
        assert [int(r.split('"')[0]) for r in rows] == [self.trees.id, self.crossing.id, self.accepted.id]
        assert {f["id"] for f in page.context["page_config"]["features"]["features"]} == {self.trees.id,
                                                                                         self.crossing.id}
        assert 'aria-sort="descending"' in page.content.decode()
        fewest = self.client.get("/participation/staff/" + page.context["sort_links"]["supports"]["url"])
        rows = fewest.content.decode().split('<tr data-proposal="')[1:]
        assert int(rows[0].split('"')[0]) != self.trees.id and int(rows[-1].split('"')[0]) == self.trees.id
        assert "process=pb-evaluate" in page.context["sort_links"]["supports"]["url"]  # the filters kept
        district = self.client.get("/participation/staff/", {"process": "pb-evaluate", "district": "D2"})
        assert [f["id"] for f in district.context["page_config"]["features"]["features"]] == [self.trees.id]
        assert self.client.get("/participation/staff/", {"state": "nonsense"}).status_code == 400


class AdminThroughTheServices(TestCase):
    @classmethod
    def setUpTestData(cls):
        users = get_user_model().objects
        cls.admin = users.create_superuser("admin", password="pw-123456")
        cls.process = make_process(open_phase="evaluation", slug="pb-admin")
        cls.budget = make_budget(cls.process, amount=100_000, district="D1")
        cls.proposal = proposal_in(cls.process, None, title="Bench", state="accepted", author=cls.admin)

    def setUp(self):
        self.client = Client(HTTP_ACCEPT_LANGUAGE="en")  # the admin's messages in English
        self.client.force_login(self.admin)

    def test_admin_cannot_set_a_proposals_state(self):
        page = self.client.get(f"/admin/participation/proposal/{self.proposal.id}/change/")
        assert page.status_code == 200
        assert b'name="state"' not in page.content
        assert b"/participation/staff/proposals/" in page.content
        self.client.post(f"/admin/participation/proposal/{self.proposal.id}/change/", {"state": "selected"})
        assert Proposal.objects.get(pk=self.proposal.pk).state == "accepted"
        assert self.client.get("/admin/participation/proposal/add/").status_code == 403

    def test_admin_project_goes_through_the_services_rules(self):
        response = self.client.post("/admin/participation/project/add/", {
            "budget": self.budget.id, "proposal": self.proposal.id, "cost": 1000, "title_el": "", "title_en": ""})
        assert response.status_code == 200
        assert "accepted proposal is not put on the ballot" in response.content.decode()
        assert not Project.objects.exists()
        Proposal.objects.filter(pk=self.proposal.pk).update(state="evaluated", cost_estimate=1000)
        response = self.client.post("/admin/participation/project/add/", {
            "budget": self.budget.id, "proposal": self.proposal.id, "cost": 1000, "title_el": "", "title_en": ""})
        assert response.status_code == 302
        assert Project.objects.get().title_en == "Bench"

    def test_admin_publishes_results_through_the_service(self):
        response = self.client.post("/admin/participation/budget/", {
            "action": "publish_results", "_selected_action": [self.budget.id]}, follow=True)
        assert "the results are published after that" in response.content.decode()
        assert Budget.objects.get(pk=self.budget.pk).results_published_at is None
