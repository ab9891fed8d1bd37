"""What the participation pages show, read in a few queries each: processes with their phases, a proposal with its
threaded comments, co-authors, official answers and history, a budget's ballot, and the ranked results."""
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.contrib.gis.measure import D
from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from hazards.models import HazardZone
from issues.models import Issue
from layers.models import District

from participation.models import (
    Budget, CoAuthor, Comment, Phase, Process, Project, Proposal, ProposalCategory, ProposalEvent,
)

PUBLIC_STATES = [s for s in Proposal.State.values if s != Proposal.State.DRAFT]


def current_phase(phases: list[Phase], now: datetime | None = None) -> Phase | None:
    """The phase open now; between phases, none."""
    now = now or timezone.now()
    for phase in phases:
        if phase.starts_at <= now < phase.ends_at:
            return phase
    return None


def processes_listed() -> list[Process]:
    """Published processes, newest first, each with its phases (ordered) and `.now` (the phase open now)."""
    processes = list(Process.objects.filter(published=True).prefetch_related("phases", "districts")
                     .annotate(proposal_total=Count("proposals", filter=Q(proposals__state__in=PUBLIC_STATES))))
    for process in processes:
        process.now = current_phase(list(process.phases.all()))
    return processes


def process_for_page(slug: str) -> Process | None:
    process = (Process.objects.filter(slug=slug, published=True)
               .prefetch_related("phases", "districts", Prefetch("budgets", Budget.objects.select_related("district")))
               .first())
    if process is not None:
        process.now = current_phase(list(process.phases.all()))
    return process


def phase_open(process: Process, kind: str) -> bool:
    return process.now is not None and process.now.kind == kind


def recent_proposals(process: Process, limit: int = 20) -> list[Proposal]:
    """The newest public proposals of a process, for the page's list (the map shows them all)."""
    return list(Proposal.objects.filter(process=process, state__in=PUBLIC_STATES).select_related("category")
                .prefetch_related("district_shares__district").order_by("-published_at", "-id")[:limit])


def categories() -> list[ProposalCategory]:
    return list(ProposalCategory.objects.order_by("slug"))


def districts() -> list[District]:
    return list(District.objects.order_by("code"))


@dataclass
class Thread:
    comment: Comment
    replies: list["Thread"] = field(default_factory=list)


def comment_threads(proposal: Proposal) -> list[Thread]:
    """The proposal's comments as threads (a reply under its parent, oldest first); hidden ones stay in place so that
    their replies keep their context, their text replaced by the page."""
    comments = list(Comment.objects.filter(proposal=proposal).select_related("author").order_by("created_at", "id"))
    threads = {c.pk: Thread(c) for c in comments}
    roots = []
    for comment in comments:
        parent = threads.get(comment.parent_id)
        (parent.replies if parent else roots).append(threads[comment.pk])
    return roots


@dataclass
class ProposalPage:
    proposal: Proposal
    districts: list
    coauthors: list[CoAuthor]
    history: list[ProposalEvent]
    answers: list[ProposalEvent]
    threads: list[Thread]
    comment_count: int
    nearby_reports: list[Issue]
    hazard_zones: list[HazardZone]


def proposal_for_page(proposal_id: int) -> ProposalPage | None:
    proposal = (Proposal.objects.filter(pk=proposal_id, state__in=PUBLIC_STATES, process__published=True)
                .select_related("process", "category", "author").first())
    if proposal is None:
        return None
    shares = list(proposal.district_shares.select_related("district"))
    events = list(proposal.events.filter(kind=ProposalEvent.Kind.STATE).order_by("at", "id"))
    threads = comment_threads(proposal)
    nearby, zones = [], []
    if proposal.geom is not None:
        # the vector hazard zones the place touches, the worst level of each layer (a flood zone, a coastal zone ...)
        zones = list(HazardZone.objects.filter(geom__intersects=proposal.geom).exclude(level__in=["none", "no_data"])
                     .select_related("layer").order_by("layer__kind", "layer__slug", "level"))
        metres = settings.PARTICIPATION_NEARBY_REPORTS_METRES
        # the index finds the candidates within a box of degrees wider than the distance (a degree of latitude is
        # 111 km, of longitude 84 km here), the true distance in metres picks among them
        nearby = list(Issue.objects.filter(status__in=Issue.OPEN_STATUSES,
                                           location__dwithin=(proposal.geom, metres / 80_000),
                                           location__distance_lte=(proposal.geom, D(m=metres)))
                      .select_related("category").order_by("-created_at")[:10])
    return ProposalPage(
        proposal=proposal,
        districts=shares,
        coauthors=list(proposal.coauthors.filter(accepted_at__isnull=False).select_related("user")),
        history=events,
        answers=[e for e in events if e.staff and e.reason],
        threads=threads,
        comment_count=Comment.objects.filter(proposal=proposal, hidden_at__isnull=True).count(),
        nearby_reports=nearby,
        hazard_zones=_worst_per_layer(zones),
    )


LEVEL_ORDER = ["high", "medium", "low", "very_low"]


def _worst_per_layer(zones: list[HazardZone]) -> list[HazardZone]:
    worst: dict[int, HazardZone] = {}
    for zone in zones:
        kept = worst.get(zone.layer_id)
        if kept is None or LEVEL_ORDER.index(zone.level) < LEVEL_ORDER.index(kept.level):
            worst[zone.layer_id] = zone
    return list(worst.values())


def budget_for_ballot(process: Process, budget_id: int) -> Budget | None:
    return (Budget.objects.filter(pk=budget_id, process=process).select_related("district")
            .prefetch_related(Prefetch("projects", Project.objects.order_by("title_en", "id"))).first())
