"""Participation API: budgets, their projects, your ballot, and the results once voting has closed."""
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from core.api_errors import ErrorSerializer

from ... import phases, selectors
from ...errors import Conflict, NotFound
from ...models import Budget
from ...results import TIE_RULE, budget_results
from ...services import budgets as budget_services
from .. import serializers as out
from .base import E403, E409, ParticipationView


def _budget(budget_id: int) -> Budget:
    budget = Budget.objects.select_related("process", "district").filter(pk=budget_id, process__published=True).first()
    if budget is None:
        raise NotFound(_("no budget %(id)s") % {"id": budget_id})
    return budget


class BudgetDetail(ParticipationView):
    @extend_schema(responses=out.BudgetSerializer)
    def get(self, request, budget_id):
        """A budget with its rule and the projects on its ballot."""
        budget = _budget(budget_id)
        return Response(out.BudgetSerializer(budget).data)


class BudgetProjects(ParticipationView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=out.ProjectInputSerializer,
        responses={201: out.ProjectSerializer, 409: E409})
    def post(self, request, budget_id):
        """Staff put a project on the ballot, from an accepted or evaluated proposal, with its cost."""
        budget = _budget(budget_id)
        body = self.body(out.ProjectInputSerializer)
        proposal_id = body.get("proposal_id")
        proposal = None
        if proposal_id is not None:
            proposal = selectors.proposal_visible(proposal_id, request.user)
        project = budget_services.project_create(
            budget=budget, staff=request.user, cost=body["cost"], proposal=proposal,
            title_el=body["title_el"], title_en=body["title_en"])
        return Response(out.ProjectSerializer(project).data, status=status.HTTP_201_CREATED)


class BallotView(ParticipationView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=out.BallotSerializer)
    def get(self, request, budget_id):
        """Your own ballot in this budget while the vote is open (only you see it); `projects` is null when you have
        not voted, or once the count has made the ballots anonymous (`voted` still says you did)."""
        budget = _budget(budget_id)
        chosen = budget_services.ballot_of(budget=budget, user=request.user)
        total = sum(p.cost for p in budget.projects.filter(id__in=chosen or []))
        return Response({"budget": budget.id, "projects": chosen, "total_cost": total,
                         "voted": budget_services.ballot_cast_by(budget=budget, user=request.user)})

    @extend_schema(request=out.BallotInputSerializer,
                   responses={200: out.BallotSerializer, 400: OpenApiResponse(
                       ErrorSerializer, "not within the budget's rule: the answer names the excess or shortfall"),
                       403: E403, 409: E409})
    def put(self, request, budget_id):
        """Cast or change your ballot while voting is open: knapsack budgets take projects whose costs fit the
        budget and spend at least its minimum share; approval budgets at most N projects."""
        budget = _budget(budget_id)
        chosen = budget_services.ballot_submit(budget=budget, user=request.user,
                                               project_ids=self.body(out.BallotInputSerializer)["projects"])
        return Response({"budget": budget.id, "projects": sorted(p.id for p in chosen),
                         "total_cost": sum(p.cost for p in chosen), "voted": True})


class ResultsPublish(ParticipationView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={200: out.PublishedResultsSerializer, 403: E403, 409: OpenApiResponse(
        ErrorSerializer, "voting has not closed: the answer gives `closes_at`; or the process has no voting phase")})
    def post(self, request, budget_id):
        """Staff close the vote and publish its results once the voting phase has ended: the winning projects are
        selected and their proposals become `selected`. Publishing again changes nothing (`changed: false`)."""
        published = budget_services.results_publish(budget=_budget(budget_id), staff=request.user)
        return Response(out.PublishedResultsSerializer({**published.__dict__,
                                                        "message": published.summary()}).data)


def _results_open(budget: Budget) -> None:
    voting = next((p for p in phases.phases_of(budget.process) if p.kind == "voting"), None)
    if voting is not None and timezone.now() < voting.ends_at:
        raise Conflict(
            f"results are shown once voting closes on {voting.ends_at.isoformat()}",
            phase="voting", starts_at=voting.starts_at.isoformat(), ends_at=voting.ends_at.isoformat())


class BudgetResults(ParticipationView):
    @extend_schema(responses={200: out.BudgetResultsSerializer, 409: E409})
    def get(self, request, budget_id):
        """Projects ranked by votes, selected greedily while the budget lasts (the tie rule is in the answer);
        only counts, never who chose what. Shown once voting has closed."""
        budget = _budget(budget_id)
        _results_open(budget)
        budget_services.ballots_counted(budget=budget)
        results = budget_results(budget)
        return Response(out.BudgetResultsSerializer({**results.__dict__, "spent": results.spent,
                                                     "tie_rule": TIE_RULE}).data)


class ProcessResults(ParticipationView):
    @extend_schema(responses={200: out.BudgetResultsSerializer(many=True), 409: E409})
    def get(self, request, slug):
        """Every budget's results of a process (one per district, and the city-wide one)."""
        process = selectors.process_by_slug(slug, request.user)
        answer = []
        for budget in process.budgets.select_related("district", "process").order_by("district__code"):
            _results_open(budget)
            budget_services.ballots_counted(budget=budget)
            results = budget_results(budget)
            answer.append({**results.__dict__, "spent": results.spent, "tie_rule": TIE_RULE})
        return Response(out.BudgetResultsSerializer(answer, many=True).data)
