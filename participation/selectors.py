"""Reads of participation, for the API and the pages alike: processes with their phases, proposals with filters, a
proposal's public history and comment threads, similar proposals before publishing, open reports near a proposal, a
budget's ballot."""
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import CharField, Count, F, Func, Prefetch, Q, QuerySet, Value
from django.utils.translation import gettext as _

from core.params import degrees_padding
from core.sql_files import fetch_all
from hazards.selectors import worst_zones_touching
from layers.models import District

from .errors import InvalidInput, NotFound
from .models import (
    AccountBlock, BallotCast, HiddenCause, Budget, CoAuthor, Comment, CommentFlag, JoinRequest, ModerationDecision, Process, Project,
    Proposal, ProposalCategory, ProposalDistrict, ProposalEvent, ProposalFlag, Support,
)
from .phases import current_phase

PUBLIC_STATES = Proposal.PUBLIC_STATES
SIMILAR_MIN_WORDING = 0.35


def processes_visible(user) -> QuerySet[Process]:
    processes = Process.objects.prefetch_related("phases", "districts", "budgets__district")
    if not (user and user.is_authenticated and user.is_staff):
        processes = processes.filter(published=True)
    return processes


def process_by_slug(slug: str, user) -> Process:
    process = processes_visible(user).filter(slug=slug).first()
    if process is None:
        raise NotFound(_("no process %(value)r") % {"value": str(slug)[:80]})
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
        raise NotFound(_("no proposal %(id)s") % {"id": proposal_id})
    return proposal


def _may_see(proposal: Proposal, user) -> bool:
    public = proposal.process.published and proposal.hidden_at is None and (
        proposal.state in PUBLIC_STATES or (proposal.state == Proposal.State.DRAFT and proposal.open_for_collaboration))
    if public:
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
        return proposals.filter(state__in=PUBLIC_STATES, hidden_at__isnull=True)
    if not (user and user.is_authenticated):
        raise InvalidInput(_("sign in to list your own proposals"), parameter="mine")
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
    """Open reports within `metres` (true metres, on the geography) of the proposal's place, nearest first."""
    if proposal.geom is None:
        return []
    metres = metres or settings.PARTICIPATION_NEARBY_REPORTS_METRES
    return fetch_all("participation", "nearby_reports", {
        "geojson": proposal.geom.json, "metres": metres, "pad": degrees_padding(metres, proposal.geom.centroid.y),
        "limit": limit,
    })


def processes_listed() -> list[Process]:
    """Published processes, newest first, each with its phases, `.now` (the phase open now) and `.proposal_total`
    (its public proposals)."""
    processes = list(Process.objects.filter(published=True).prefetch_related("phases", "districts")
                     .annotate(proposal_total=Count("proposals", filter=Q(proposals__state__in=PUBLIC_STATES,
                                                                         proposals__hidden_at__isnull=True))))
    for process in processes:
        process.now = current_phase(process)
    return processes


def published_process(slug: str) -> Process | None:
    """A published process with its phases, districts and budgets, and `.now` (the phase open now)."""
    process = (Process.objects.filter(slug=slug, published=True)
               .prefetch_related("phases", "districts", Prefetch("budgets", Budget.objects.select_related("district")))
               .first())
    if process is not None:
        process.now = current_phase(process)
    return process


def phase_open(process: Process, kind: str) -> bool:
    return process.now is not None and process.now.kind == kind


def recent_proposals(process: Process, limit: int = 20) -> list[Proposal]:
    """The newest public proposals of a process, for the page's list (the map shows them all)."""
    return list(Proposal.objects.filter(process=process, state__in=PUBLIC_STATES, hidden_at__isnull=True)
                .select_related("category")
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
    nearby_reports: list[dict]
    hazard_zones: list


NEARBY_ON_PAGE = 10


def proposal_for_page(proposal_id: int) -> ProposalPage | None:
    """A public proposal (the API's rule: neither a draft nor withdrawn, in a published process) with what its page
    shows: district shares, accepted co-authors, state history and the city's answers, comment threads, the open
    reports nearest to it and the hazard zones its place touches. A hidden one only with its moderators' reason."""
    proposal = (Proposal.objects.filter(pk=proposal_id, state__in=PUBLIC_STATES, process__published=True)
                .select_related("process", "category", "author").first())
    if proposal is None:
        return None
    if proposal.hidden_at is not None:
        return ProposalPage(proposal=proposal, districts=[], coauthors=[], history=[], answers=[], threads=[],
                            comment_count=0, nearby_reports=[], hazard_zones=[])
    events = list(proposal.events.filter(kind=ProposalEvent.Kind.STATE).order_by("at", "id"))
    return ProposalPage(
        proposal=proposal,
        districts=list(proposal.district_shares.select_related("district")),
        coauthors=list(proposal.coauthors.filter(accepted_at__isnull=False).select_related("user")),
        history=events,
        answers=[e for e in events if e.staff and e.reason],
        threads=comment_threads(proposal),
        comment_count=Comment.objects.filter(proposal=proposal, hidden_at__isnull=True).count(),
        nearby_reports=nearby_reports(proposal, limit=NEARBY_ON_PAGE),
        hazard_zones=worst_zones_touching(proposal.geom) if proposal.geom is not None else [],
    )


def budget_for_ballot(process: Process, budget_id: int) -> Budget | None:
    return (Budget.objects.filter(pk=budget_id, process=process).select_related("district")
            .prefetch_related(Prefetch("projects", Project.objects.order_by("title_en", "id"))).first())


@dataclass
class Activity:
    """What one account did and what was decided about it, for its own page."""
    proposals: list[Proposal]
    supports: list[Support]
    comments: list[Comment]
    ballots: list[BallotCast]
    decisions: list[ModerationDecision]
    block: AccountBlock | None


def activity_of(user) -> Activity:
    """The account's proposals (its own and co-authored, in every state), supports, comments, the budgets it voted
    in (who voted, from BallotCast: never what), and the moderators' decisions about it."""
    return Activity(
        proposals=list(Proposal.objects.filter(Q(author=user) | Q(coauthors__user=user, coauthors__accepted_at__isnull=False))
                       .distinct().select_related("process").order_by("-updated_at", "-id")),
        supports=list(Support.objects.filter(user=user).select_related("proposal", "process")
                      .prefetch_related("process__phases").order_by("-created_at", "-id")),
        comments=list(Comment.objects.filter(author=user).select_related("proposal").order_by("-created_at", "-id")[:200]),
        ballots=list(BallotCast.objects.filter(user=user).select_related("budget__process").order_by("-month", "-id")),
        decisions=list(ModerationDecision.objects.filter(account=user).select_related("proposal", "comment__proposal")[:100]),
        block=AccountBlock.objects.filter(user=user).first(),
    )


@dataclass
class Inbox:
    invitations: list[CoAuthor]  # invitations to co-author, not answered yet
    join_requests: list[JoinRequest]  # requests to join the account's collaborative drafts, not answered yet
    my_requests: list[JoinRequest]  # the account's own requests to join others' drafts


def inbox_of(user) -> Inbox:
    return Inbox(
        invitations=list(CoAuthor.objects.filter(user=user, accepted_at__isnull=True, declined_at__isnull=True)
                         .select_related("proposal__process", "invited_by").order_by("-invited_at")),
        join_requests=list(JoinRequest.objects.filter(proposal__author=user, state=JoinRequest.State.PENDING)
                           .select_related("proposal", "user").order_by("created_at", "id")),
        my_requests=list(JoinRequest.objects.filter(user=user).select_related("proposal").order_by("-created_at")[:50]),
    )


def collaborative_drafts(process: Process) -> list[Proposal]:
    """Drafts of a process open for collaboration (others may ask to join), newest first."""
    return list(Proposal.objects.filter(process=process, state=Proposal.State.DRAFT, open_for_collaboration=True,
                                        hidden_at__isnull=True).select_related("category").order_by("-created_at", "-id"))


def join_request_by_id(request_id: int) -> JoinRequest:
    join = JoinRequest.objects.select_related("proposal__process").filter(pk=request_id).first()
    if join is None:
        raise NotFound(_("no request to join %(id)s") % {"id": request_id})
    return join


def comment_by_id(comment_id: int, user) -> Comment:
    """A comment on a proposal the user may see."""
    comment = Comment.objects.select_related("proposal__process").filter(pk=comment_id).first()
    if comment is None:
        raise NotFound(_("no comment %(id)s") % {"id": comment_id})
    proposal_visible(comment.proposal_id, user)
    return comment


def proposal_for_moderation(proposal_id: int) -> Proposal:
    """Any proposal, hidden ones included (moderators only: the services check)."""
    proposal = Proposal.objects.select_related("process").filter(pk=proposal_id).first()
    if proposal is None:
        raise NotFound(_("no proposal %(id)s") % {"id": proposal_id})
    return proposal


def comment_for_moderation(comment_id: int) -> Comment:
    comment = Comment.objects.select_related("proposal").filter(pk=comment_id).first()
    if comment is None:
        raise NotFound(_("no comment %(id)s") % {"id": comment_id})
    return comment


@dataclass
class ModerationQueue:
    proposals: list[Proposal]  # reported or hidden, hidden and most reported first
    comments: list[Comment]
    blocks: list[AccountBlock]
    decisions: list[ModerationDecision]


QUEUE_LENGTH = 200


def moderation_queue() -> ModerationQueue:
    """What waits for a moderator: reported or hidden proposals and comments with their reports' reasons, the
    blocked accounts and the latest decisions."""
    proposals = list(Proposal.objects.filter(Q(flag_count__gt=0) | Q(hidden_at__isnull=False), hidden_cause__in=("", HiddenCause.MODERATOR, HiddenCause.REPORTS))
                     .select_related("author", "process")
                     .prefetch_related(Prefetch("flags", ProposalFlag.objects.order_by("created_at")))
                     .order_by(F("hidden_at").desc(nulls_last=True), "-flag_count", "-id")[:QUEUE_LENGTH])
    comments = list(Comment.objects.filter(Q(flag_count__gt=0) | Q(hidden_at__isnull=False), hidden_cause__in=("", HiddenCause.MODERATOR, HiddenCause.REPORTS))
                    .select_related("author", "proposal")
                    .prefetch_related(Prefetch("flags", CommentFlag.objects.order_by("created_at")))
                    .order_by(F("hidden_at").desc(nulls_last=True), "-flag_count", "-id")[:QUEUE_LENGTH])
    return ModerationQueue(
        proposals=proposals, comments=comments,
        blocks=list(AccountBlock.objects.select_related("user").order_by("-blocked_at")),
        decisions=list(ModerationDecision.objects.select_related("account", "moderator")[:50]),
    )


def may_edit(proposal: Proposal, user) -> bool:
    """The author and the accepted co-authors write a proposal."""
    return proposal.author_id == user.id or CoAuthor.objects.filter(
        proposal=proposal, user=user, accepted_at__isnull=False).exists()


def coauthors_of(proposal: Proposal) -> list[CoAuthor]:
    """Invited and accepted co-authors, with their names (for the proposal's writers only)."""
    return list(proposal.coauthors.select_related("user").order_by("invited_at", "id"))


def category_by_slug(slug: str) -> ProposalCategory | None:
    """The category named by a form; none when the form leaves it as it is."""
    if not slug:
        return None
    category = ProposalCategory.objects.filter(slug=slug).first()
    if category is None:
        raise InvalidInput(_("no category %(value)r") % {"value": slug[:60]}, parameter="category", code="not_found")
    return category


def join_requests_of(user) -> dict[int, JoinRequest]:
    """The account's requests to join drafts, by draft."""
    return {j.proposal_id: j for j in JoinRequest.objects.filter(user=user)}
