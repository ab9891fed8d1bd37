"""Participatory budgets: projects from accepted proposals, secret ballots (one per voter, changeable while
voting is open, within the budget's rule, kept apart from who voted), and publishing the results."""
import hashlib
import hmac
from dataclasses import dataclass, field
from datetime import datetime

from django.utils.translation import gettext as _

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from core.sql_files import fetch_all, sql_text

from .. import phases
from ..errors import Conflict, InvalidInput
from ..models import Budget, Project, Proposal, ProposalEvent
from ..results import budget_results
from .access import require, require_staff
from .implementation import implementation_of_project
from .notifications import announce_state

MAX_CHOICES = 200


def voter_key(budget_id: int, user_id: int) -> str:
    """How a voter finds their own ballot again: a keyed hash that nobody can reverse without the ballot key."""
    message = f"{budget_id}|{user_id}".encode()
    return hmac.new(settings.PARTICIPATION_BALLOT_KEY.encode(), message, hashlib.sha256).hexdigest()


def project_check(*, budget: Budget, staff, cost, proposal: Proposal | None = None) -> None:
    """The rules of putting a project on a ballot (the admin's form asks before saving): staff only, a cost in
    whole euros, not once the results are published, from an evaluated proposal of the same process, once."""
    require_staff(staff, _("putting a project on the ballot"))
    if not isinstance(cost, int) or isinstance(cost, bool) or cost <= 0:
        raise InvalidInput(_("euros, a whole number above 0"), parameter="cost")
    if budget.results_published_at is not None:
        raise Conflict(_("the results of %(budget)s are published; its ballot is closed") % {"budget": budget.title_en},
                       code="results_published")
    if proposal is not None:
        if proposal.process_id != budget.process_id:
            raise InvalidInput(_("belongs to another process"), parameter="proposal")
        if proposal.state != Proposal.State.EVALUATED:
            raise Conflict(_("a %(state)s proposal is not put on the ballot; the city accepts it, then evaluates it "
                             "(cost, feasibility, responsible department)") % {"state": proposal.state},
                           code="not_evaluated", state=proposal.state)
        if Project.objects.filter(budget=budget, proposal=proposal).exists():
            raise Conflict(_("this proposal is already on the ballot of %(budget)s") % {"budget": budget.title_en},
                           code="already_on_ballot")


def project_create(*, budget: Budget, staff, cost: int, proposal: Proposal | None = None, title_el: str = "",
                   title_en: str = "", demo: bool = False) -> Project:
    """A project on the ballot, from an evaluated proposal (its title and place) or on its own, within
    project_check's rules."""
    project_check(budget=budget, staff=staff, cost=cost, proposal=proposal)
    title_en = (title_en or (proposal.title if proposal else "")).strip()
    title_el = (title_el or (proposal.title if proposal else "")).strip()
    if not title_en or not title_el:
        raise InvalidInput(_("a project needs a title"), parameter="title_el, title_en", code="required")
    with transaction.atomic():
        return Project.objects.create(budget=budget, proposal=proposal, cost=cost, title_el=title_el[:200],
                                      title_en=title_en[:200], geom=proposal.geom if proposal else None, demo=demo)


def _checked_choices(budget: Budget, project_ids) -> list[Project]:
    if not isinstance(project_ids, list) or not project_ids:
        raise InvalidInput(_("a list of the chosen projects' ids, at least one"), parameter="projects")
    if len(project_ids) > MAX_CHOICES or not all(isinstance(i, int) and not isinstance(i, bool) and 0 < i < 2**62
                                                 for i in project_ids):
        raise InvalidInput(_("positive whole-number ids, at most %(count)d") % {"count": MAX_CHOICES}, parameter="projects")
    if len(set(project_ids)) != len(project_ids):
        raise InvalidInput(_("a project is chosen once"), parameter="projects")
    projects = list(Project.objects.filter(budget=budget, id__in=project_ids))
    unknown = sorted(set(project_ids) - {p.id for p in projects})
    if unknown:
        raise InvalidInput(_("%(ids)s not on this budget's ballot") % {"ids": ", ".join(map(str, unknown[:10]))}, parameter="projects",
                           unknown=unknown[:50])
    total = sum(p.cost for p in projects)
    if budget.rule == Budget.Rule.KNAPSACK:
        if total > budget.amount:
            raise InvalidInput(_("cost %(total)s €, %(excess)s € over the budget of %(amount)s €; leave out a project")
                               % {"total": f"{total:,}", "excess": f"{total - budget.amount:,}", "amount": f"{budget.amount:,}"},
                               parameter="projects", code="over_budget", excess=total - budget.amount,
                               total=total, amount=budget.amount)
        minimum = -(-budget.amount * budget.minimum_share // 100)
        if total < minimum:
            raise InvalidInput(_("cost %(total)s €; a ballot spends at least %(share)s %% of the budget, %(minimum)s €: "
                                 "add projects worth %(shortfall)s €")
                               % {"total": f"{total:,}", "share": budget.minimum_share, "minimum": f"{minimum:,}",
                                  "shortfall": f"{minimum - total:,}"}, parameter="projects", code="under_minimum",
                               shortfall=minimum - total, total=total, minimum=minimum)
    elif len(projects) > budget.max_projects:
        raise InvalidInput(_("%(chosen)d chosen, %(excess)d too many; at most %(limit)d")
                           % {"chosen": len(projects), "excess": len(projects) - budget.max_projects, "limit": budget.max_projects},
                           parameter="projects", code="too_many", excess_projects=len(projects) - budget.max_projects)
    return projects


def _run(cursor, name: str, params: dict) -> None:
    cursor.execute(sql_text("participation", name), params)


def ballot_submit(*, budget: Budget, user, project_ids, now=None) -> list[Project]:
    """Store the voter's ballot, replacing an earlier one. Concurrent submissions of one voter end as one ballot
    (a unique key and an upsert); a ballot outside the budget's rule is refused here and, whatever the code
    does, by the database's deferred triggers."""
    process = budget.process
    require(user, action=phases.VOTE, process=process, districts=[budget.district] if budget.district else None)
    phases.require_phase(process, phases.VOTE, now)
    projects = _checked_choices(budget, project_ids)
    params = {"budget": budget.id, "voter_key": voter_key(budget.id, user.id), "total": sum(p.cost for p in projects),
              "user": user.id, "month": timezone.localdate().replace(day=1), "projects": [p.id for p in projects]}
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            _run(cursor, "ballot_upsert", params)
            params["ballot"] = cursor.fetchone()[0]
            _run(cursor, "ballot_clear", params)
            _run(cursor, "ballot_choose", params)
            _run(cursor, "ballot_cast", params)
    except IntegrityError as exc:
        raise InvalidInput(_("refused by the budget's rule (%(reason)s)") % {"reason": str(exc).splitlines()[0][:200]}, parameter="projects") from None
    return projects


def ballot_of(*, budget: Budget, user) -> list[int] | None:
    """The project ids of the voter's own ballot, or None when they have not voted."""
    rows = fetch_all("participation", "ballot_of", {"budget": budget.id, "voter_key": voter_key(budget.id, user.id)})
    return [r["project_id"] for r in rows] or None


@dataclass
class PublishedResults:
    """What publishing did: `changed` is False when the results had been published before (nothing written)."""

    budget: Budget
    published_at: datetime
    changed: bool
    ballots: int
    selected_projects: list[int] = field(default_factory=list)
    selected_proposals: list[int] = field(default_factory=list)

    def summary(self) -> str:
        when = self.published_at.isoformat(timespec="seconds")
        if self.changed:
            return _("results of %(budget)s published on %(when)s: %(ballots)d ballots, %(count)d projects selected") % {
                "budget": self.budget.title_en, "when": when, "ballots": self.ballots,
                "count": len(self.selected_projects)}
        return _("the results of %(budget)s were published on %(when)s; publishing again changed nothing") % {
            "budget": self.budget.title_en, "when": when}


# The server's operator running `participation_publish_results` (shell access to the server is the permission).
SERVER_OPERATOR = object()


def _voting_closed(budget: Budget, now) -> None:
    voting = next((p for p in phases.phases_of(budget.process) if p.kind == "voting"), None)
    if voting is None:
        raise Conflict(_("the process %(process)s has no voting phase: there are no results to publish")
                       % {"process": budget.process.slug}, code="no_voting")
    if now < voting.ends_at:
        raise Conflict(_("voting closes on %(date)s; the results are published after that")
                       % {"date": voting.ends_at.isoformat()}, code="voting_open",
                       phase="voting", starts_at=voting.starts_at.isoformat(), ends_at=voting.ends_at.isoformat(),
                       closes_at=voting.ends_at.isoformat())


def results_publish(*, budget: Budget, staff, now=None) -> PublishedResults:
    """Close the vote and publish its results, once the voting phase has ended: each project gets its votes, the
    winning ones (participation.results: ranked, chosen greedily while the budget lasts) are selected, their
    evaluated proposals become selected, with an entry in their history, and each gets its implementation record
    (planned). Publishing again changes nothing and
    says so (changed=False). staff: the city's participation staff, or SERVER_OPERATOR from the command."""
    if staff is not SERVER_OPERATOR:
        require_staff(staff, _("publishing results"))
    actor = None if staff is SERVER_OPERATOR else staff
    _voting_closed(budget, now or timezone.now())
    with transaction.atomic():
        locked = Budget.objects.select_for_update().get(pk=budget.pk)
        if locked.results_published_at is not None:
            return PublishedResults(
                budget=locked, published_at=locked.results_published_at, changed=False,
                ballots=budget_results(locked).ballots,
                selected_projects=list(locked.projects.filter(selected=True).values_list("id", flat=True)),
                selected_proposals=list(locked.projects.filter(selected=True, proposal__isnull=False)
                                        .values_list("proposal_id", flat=True)))
        ranked = budget_results(locked)
        for row in ranked.rows:
            Project.objects.filter(pk=row.project_id).update(selected=row.selected, votes=row.votes)
        chosen = [r.project_id for r in ranked.rows if r.selected]
        proposals = []
        for proposal in Proposal.objects.select_for_update().filter(projects__id__in=chosen,
                                                                     state=Proposal.State.EVALUATED):
            proposal.state = Proposal.State.SELECTED
            proposal.save(update_fields=["state", "updated_at"])
            ProposalEvent.objects.create(proposal=proposal, kind=ProposalEvent.Kind.STATE, staff=True, actor=actor,
                                         from_state=Proposal.State.EVALUATED, to_state=Proposal.State.SELECTED,
                                         reason=f"selected by the vote of {locked.title_en}")
            proposals.append(proposal.pk)
            announce_state(proposal=proposal, before=Proposal.State.EVALUATED, actor=staff)
        for project in Project.objects.filter(pk__in=chosen).select_related("budget", "proposal"):
            implementation_of_project(project=project)  # the selected projects' implementation records, planned
        locked.results_published_at = timezone.now()
        locked.save(update_fields=["results_published_at"])
    return PublishedResults(budget=locked, published_at=locked.results_published_at, changed=True,
                            ballots=ranked.ballots, selected_projects=chosen, selected_proposals=sorted(proposals))
