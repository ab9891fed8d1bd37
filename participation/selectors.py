"""Reads of participation: processes with their phases, proposals with filters, a proposal's public history and
comments, similar proposals before publishing, open reports near a proposal."""
from django.conf import settings
from django.db.models import CharField, F, Func, Prefetch, Q, QuerySet, Value

from core.params import degrees_padding
from core.sql_files import fetch_all

from .errors import InvalidInput, NotFound
from .models import Comment, Process, Proposal, ProposalDistrict, ProposalEvent, Support
from .services.proposals import PUBLIC_STATES

SIMILAR_MIN_WORDING = 0.35


def processes_visible(user) -> QuerySet[Process]:
    processes = Process.objects.prefetch_related("phases", "districts", "budgets__district")
    if not (user and user.is_authenticated and user.is_staff):
        processes = processes.filter(published=True)
    return processes


def process_by_slug(slug: str, user) -> Process:
    process = processes_visible(user).filter(slug=slug).first()
    if process is None:
        raise NotFound(f"no process {str(slug)[:80]!r}")
    return process


def _proposals_base() -> QuerySet[Proposal]:
    return (Proposal.objects.select_related("process", "category")
            .prefetch_related(Prefetch("district_shares", ProposalDistrict.objects.select_related("district")),
                              "photos")
            )


def proposal_visible(proposal_id: int, user) -> Proposal:
    """A public proposal, or a draft or withdrawn one for its author, co-authors and staff."""
    proposal = _proposals_base().filter(pk=proposal_id).first()
    if proposal is None or not _may_see(proposal, user):
        raise NotFound(f"no proposal {proposal_id}")
    return proposal


def _may_see(proposal: Proposal, user) -> bool:
    if proposal.state in PUBLIC_STATES and proposal.process.published:
        return True
    if not (user and user.is_authenticated):
        return False
    return user.is_staff or proposal.author_id == user.id or proposal.coauthors.filter(user=user).exists()


def proposals_of(process: Process) -> QuerySet[Proposal]:
    """A process's proposals with what a list shows; participation.filters.ProposalFilter chooses among them."""
    return _proposals_base().filter(process=process)


def proposals_listed(proposals: QuerySet[Proposal], *, user, mine: bool) -> QuerySet[Proposal]:
    """The public proposals, or with mine the user's own and co-authored ones in any state."""
    if not mine:
        return proposals.filter(state__in=PUBLIC_STATES)
    if not (user and user.is_authenticated):
        raise InvalidInput("mine: sign in to list your own proposals")
    return proposals.filter(Q(author=user) | Q(coauthors__user=user)).distinct()


def proposals_titled(proposals: QuerySet[Proposal], words: str) -> QuerySet[Proposal]:
    """Proposals whose title holds the words or is like them, case and Greek accents ignored."""
    folded = Func(Value(words[:200]), function="participation_fold", output_field=CharField())
    proposals = proposals.annotate(folded_title=Func(F("title"), function="participation_fold", output_field=CharField()))
    return proposals.filter(Q(folded_title__trigram_similar=folded) | Q(folded_title__contains=folded))


def supported_ids(user, proposal_ids) -> set[int]:
    if not (user and user.is_authenticated):
        return set()
    return set(Support.objects.filter(user=user, proposal_id__in=list(proposal_ids)).values_list("proposal_id", flat=True))


def proposal_history(proposal: Proposal) -> list[ProposalEvent]:
    """Every state change with its reason, and each edit with the text as it became; never who edited."""
    return list(proposal.events.exclude(kind=ProposalEvent.Kind.COAUTHOR).order_by("at", "id"))


def comments_of(proposal: Proposal) -> list[Comment]:
    return list(proposal.comments.order_by("created_at", "id"))


def similar_proposals(*, process: Process, text: str, place=None, exclude_id: int = 0, limit: int = 10) -> list[dict]:
    metres = settings.PARTICIPATION_SIMILAR_METRES
    lat = place.centroid.y if place is not None else 40.6
    return fetch_all("participation", "similar_proposals", {
        "process": process.id, "text": text, "geojson": place.json if place is not None else None,
        "metres": metres, "pad": degrees_padding(metres, lat), "min_wording": SIMILAR_MIN_WORDING,
        "exclude": exclude_id, "limit": limit,
    })


def nearby_reports(proposal: Proposal, *, metres: int | None = None, limit: int = 50) -> list[dict]:
    if proposal.geom is None:
        return []
    metres = metres or settings.PARTICIPATION_NEARBY_REPORTS_METRES
    return fetch_all("participation", "nearby_reports", {
        "geojson": proposal.geom.json, "metres": metres, "pad": degrees_padding(metres, proposal.geom.centroid.y),
        "limit": limit,
    })
