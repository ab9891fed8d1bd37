"""The staff workspace's rules: who evaluates which proposal, what an answer must carry, what goes on a ballot,
publishing a vote's results (after it closes, once), and the admin going through the same services."""
import io
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import TestCase
from django.utils import timezone
from rest_framework.test import APIClient

from issues.models import Department, DepartmentMembership
from participation.errors import Conflict
from participation.models import Phase, Project, Proposal, ProposalCategory, ProposalEvent
from participation.services.budgets import ballot_submit, project_create, results_publish

from .conftest import inside_point, make_budget, make_process, verified

API = "/api/participation"


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def proposal_in(process, category, *, title: str, state: str = Proposal.State.PUBLISHED, author, place=None,
                cost: int | None = None) -> Proposal:
    return Proposal.objects.create(process=process, category=category, author=author, title=title, body="Why.",
                                   state=state, geom=place, cost_estimate=cost, published_at=timezone.now(),
                                   feasibility="Feasible." if cost else "")


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
        assert "3 ballots, 1 projects selected" in out.getvalue()
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
