"""Participatory budgets: projects from evaluated proposals, secret ballots (one per voter, changeable while
voting is open, within the budget's rule, sealed under the ballot key beside the row saying who voted, opened into
anonymous ballots in shuffled batches once the vote has closed), and publishing the results."""
import math
import secrets
import uuid
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.sql_files import sql_text

from .. import phases
from ..errors import Conflict, InvalidInput
from ..models import Ballot, BallotCast, BallotChoice, Budget, Project, Proposal, ProposalEvent, SealedBallot
from ..results import budget_results
from ..sealing import MAX_SEALED_CHOICES, seal, unseal
from .access import require, require_staff
from .implementation import implementation_of_project
from .notifications import announce_state

MAX_CHOICES = MAX_SEALED_CHOICES


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
    """Store the voter's ballot, replacing an earlier one: the row saying they voted and, beside it, their choices
    sealed under the ballot key, in one transaction (an acknowledged vote is never lost). Concurrent submissions of
    one voter end as one sealed ballot (a unique cast, an upsert). The budget's rule is checked here; the database
    enforces it again when the count opens the ballot. The phase is checked again under a share lock on the budget,
    which the count takes exclusively: no vote slips in beside a count that has begun."""
    process = budget.process
    require(user, action=phases.VOTE, process=process, districts=[budget.district] if budget.district else None)
    phases.require_phase(process, phases.VOTE, now)
    projects = _checked_choices(budget, project_ids)
    params = {"budget": budget.id, "user": user.id, "month": timezone.localdate().replace(day=1),
              "sealed": seal(budget.id, sorted(p.id for p in projects))}
    with transaction.atomic(), connection.cursor() as cursor:
        _run(cursor, "budget_hold", params)
        phases.require_phase(process, phases.VOTE, now)
        _run(cursor, "ballot_seal", params)
    return projects


def ballot_of(*, budget: Budget, user) -> list[int] | None:
    """The project ids of the voter's own ballot while it is sealed (the vote open), or None when they have not voted
    or the count has opened it: once anonymous, nobody can find whose it is, the voter included."""
    sealed = SealedBallot.objects.filter(cast__budget=budget, cast__user=user).first()
    return unseal(budget.id, sealed.sealed) if sealed is not None else None


def ballot_cast_by(*, budget: Budget, user) -> bool:
    return bool(user and user.is_authenticated and BallotCast.objects.filter(budget=budget, user=user).exists())


def _voting_is_over(budget: Budget, now=None) -> bool:
    voting = next((p for p in phases.phases_of(budget.process) if p.kind == "voting"), None)
    return voting is not None and (now or timezone.now()) >= voting.ends_at


def ballots_unseal(*, budget: Budget, now=None, batch: int | None = None) -> int:
    """The count's first step, once the vote has closed: open the sealed ballots into anonymous ones, in batches of
    about `batch` (PARTICIPATION_BALLOT_BATCH; the sealed ballots spread evenly over the batches, each taken at
    random). In each batch's one transaction: the ballots opened, shuffled, written in that shuffled order with
    random ids and no time, no voter key, the sealed rows deleted; the database's deferred triggers check each
    ballot against the budget's rule at commit. A crash between batches loses nothing: what is not committed stays
    sealed for the next run. Returns how many ballots were opened."""
    if not _voting_is_over(budget, now):
        raise Conflict(_("ballots are opened once the voting phase has closed"))
    waiting = SealedBallot.objects.filter(budget=budget).count()
    if not waiting:
        return 0
    batch = max(1, batch or settings.PARTICIPATION_BALLOT_BATCH)
    size = math.ceil(waiting / math.ceil(waiting / batch))
    shuffle = secrets.SystemRandom().shuffle
    opened = 0
    while True:
        with transaction.atomic():
            # waits for the votes still being written (they hold the budget in share mode)
            list(Budget.objects.select_for_update().filter(pk=budget.pk).order_by().values_list("pk", flat=True))
            rows = list(SealedBallot.objects.filter(budget=budget).order_by("?")[:size])
            if not rows:
                return opened
            chosen = [unseal(budget.id, row.sealed) for row in rows]
            shuffle(chosen)
            costs = dict(Project.objects.filter(budget=budget).values_list("id", "cost"))
            ballots = [Ballot(id=uuid.uuid4(), budget=budget, total_cost=sum(costs.get(i, 0) for i in ids))
                       for ids in chosen]
            choices = [BallotChoice(id=uuid.uuid4(), ballot=ballot, project_id=project_id)
                       for ballot, ids in zip(ballots, chosen) for project_id in ids]
            shuffle(choices)
            try:
                with transaction.atomic(), connection.cursor() as cursor:
                    cursor.execute("SET CONSTRAINTS ALL DEFERRED")  # the rule is checked once the batch is written
                    Ballot.objects.bulk_create(ballots)
                    BallotChoice.objects.bulk_create(choices)
                    SealedBallot.objects.filter(pk__in=[row.pk for row in rows]).delete()
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # ... here, so a refusal is this batch's alone
            except IntegrityError as exc:
                raise Conflict(_("a sealed ballot breaks the budget's rule (%(reason)s); nothing of this batch was "
                                 "written, the sealed ballots wait") % {"reason": str(exc).splitlines()[0][:200]}) from None
            opened += len(rows)


def ballots_counted_everywhere() -> int:
    """Every budget whose vote has closed with sealed ballots left: opened (the periodic job)."""
    opened = 0
    for budget in Budget.objects.filter(pk__in=SealedBallot.objects.values("budget")).select_related("process"):
        if _voting_is_over(budget):
            opened += ballots_unseal(budget=budget)
    return opened


def ballots_counted(*, budget: Budget) -> None:
    """Before results are read: open any sealed ballots left once the vote has closed (the periodic job usually has)."""
    if _voting_is_over(budget) and SealedBallot.objects.filter(budget=budget).exists():
        ballots_unseal(budget=budget)


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
            return _("results of %(budget)s published on %(when)s; ballots: %(ballots)d, projects selected: %(count)d") % {
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
    ballots_counted(budget=budget)
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
