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
from issues.models import Department, DepartmentMembership
from layers.models import District

from .errors import InvalidInput, NotFound
from .models import (
    AccountBlock, BallotCast, Budget, CoAuthor, Comment, CommentFlag, Follow, HiddenCause, JoinRequest, ModerationDecision,
    Notice, NoticeSettings, Phase, Process, Project, Proposal, ProposalCategory, ProposalDistrict, ProposalEvent,
    ProposalFlag, Support,
)
from .phases import current_phase, phases_of

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


PLACES = ("with", "without")
SORTS = ("newest", "supported", "random")


def _folded(expression) -> Func:
    """Lower case, Greek accents removed and the final sigma as σ: the search's one fold (an SQL function, so the
    trigram index over it serves the query)."""
    return Func(expression, function="participation_search_fold", output_field=CharField())


def proposals_titled(proposals: QuerySet[Proposal], words: str) -> QuerySet[Proposal]:
    """Proposals whose title holds the words or is like them, case and Greek accents ignored."""
    folded = Func(Value(words[:200]), function="participation_fold", output_field=CharField())
    proposals = proposals.annotate(folded_title=Func(F("title"), function="participation_fold", output_field=CharField()))
    return proposals.filter(Q(folded_title__trigram_similar=folded) | Q(folded_title__contains=folded))


def proposals_searched(proposals: QuerySet[Proposal], text: str) -> QuerySet[Proposal]:
    """Proposals whose title or text holds every word (anywhere in a word), or whose title is like the words;
    case, Greek accents and the final sigma ignored. Served by the trigram index on the folded title and text."""
    words = text.split()[:8]
    if not words:
        return proposals
    proposals = proposals.annotate(
        searched_text=Func(F("title"), F("body"), function="participation_search_text", output_field=CharField()),
        folded_title=Func(F("title"), function="participation_fold", output_field=CharField()))
    every_word = Q()
    for word in words:
        every_word &= Q(searched_text__contains=_folded(Value(word[:60])))
    like_title = Q(folded_title__trigram_similar=Func(Value(" ".join(words)), function="participation_fold",
                                                      output_field=CharField()))
    return proposals.filter(every_word | like_title)


def proposals_placed(proposals: QuerySet[Proposal], place: str) -> QuerySet[Proposal]:
    """with: proposals with a place; without: city-wide ideas."""
    return proposals.filter(geom__isnull=(place == "without"))


def proposals_sorted(proposals: QuerySet[Proposal], sort: str, *, seed: str = "") -> QuerySet[Proposal]:
    """newest: published last first; supported: most supports first (then newest); random: a shuffle fixed by the
    seed (md5 of the id and the seed), so every page of one seed follows the same order."""
    if sort == "supported":
        return proposals.order_by("-support_count", F("published_at").desc(nulls_last=True), "-id")
    if sort == "random":
        shuffled = Func(F("id"), Value(seed[:40]), function="participation_shuffle_key", output_field=CharField())
        return proposals.annotate(shuffle_key=shuffled).order_by("shuffle_key", "id")
    return proposals.order_by(F("published_at").desc(nulls_last=True), "-id")


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


# The staff workspace: who evaluates which proposals (CONSUL's valuators), the evaluation queue, the budgets.

def evaluator_departments(user) -> set[int] | None:
    """The departments whose proposals this account evaluates: None for the city's participation staff (is_staff:
    every proposal), the ids of its departments for a department's members, an empty set for anyone else."""
    if not (user and user.is_authenticated):
        return set()
    if user.is_staff:
        return None
    return set(DepartmentMembership.objects.filter(user=user).values_list("department_id", flat=True))


def is_evaluator(user) -> bool:
    scope = evaluator_departments(user)
    return scope is None or bool(scope)


def assigned_department(proposal: Proposal) -> Department | None:
    """The department that evaluates a proposal: the one the evaluation made responsible, else its category's."""
    if proposal.department_id:
        return proposal.department
    return proposal.category.department if proposal.category_id else None


def evaluation_queue(user) -> QuerySet[Proposal]:
    """Every proposal but drafts, for the city's participation staff; a department's members, only the proposals
    assigned to their departments. participation.filters.EvaluationQueueFilter chooses and sorts among them."""
    scope = evaluator_departments(user)
    proposals = (Proposal.objects.exclude(state=Proposal.State.DRAFT)
                 .select_related("process", "category", "category__department", "district", "department"))
    if scope is None:
        return proposals
    return proposals.filter(Q(department_id__in=scope) | Q(department__isnull=True, category__department_id__in=scope))


def proposals_assigned_to(proposals: QuerySet[Proposal], department_slug: str) -> QuerySet[Proposal]:
    return proposals.filter(Q(department__slug=department_slug)
                            | Q(department__isnull=True, category__department__slug=department_slug))


def proposal_for_evaluation(proposal_id: int) -> Proposal | None:
    return (Proposal.objects.exclude(state=Proposal.State.DRAFT)
            .select_related("process", "category", "category__department", "district", "department")
            .prefetch_related(Prefetch("district_shares", ProposalDistrict.objects.select_related("district")),
                              Prefetch("projects", Project.objects.select_related("budget")))
            .filter(pk=proposal_id).first())


def department_by_slug(slug: str) -> Department:
    department = Department.objects.filter(slug=slug, active=True).first()
    if department is None:
        raise InvalidInput(_("no department %(value)r") % {"value": str(slug)[:64]}, parameter="department",
                           code="not_found")
    return department


def departments() -> list[Department]:
    return list(Department.objects.filter(active=True).order_by("name_en"))


def budgets_for_ballot(process: Process) -> list[Budget]:
    """The budgets of a process a project may be put on (results not yet published)."""
    return list(Budget.objects.filter(process=process, results_published_at__isnull=True)
                .select_related("district").order_by("district__code"))


def budgets_for_staff() -> list[Budget]:
    """Every budget with its process, its phases (the voting dates) and its projects counted, newest process first."""
    return list(Budget.objects.select_related("process", "district")
                .prefetch_related("process__phases")
                .annotate(project_total=Count("projects", distinct=True),
                          selected_total=Count("projects", filter=Q(projects__selected=True), distinct=True))
                .order_by("-process__created_at", "process__slug", "district__code"))


def voting_phase(process: Process) -> Phase | None:
    return next((p for p in phases_of(process) if p.kind == "voting"), None)
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


NOTICES_LISTED = 100


def follows_of(user) -> list[Follow]:
    """What a participant follows, newest first."""
    return list(Follow.objects.filter(user=user).select_related("process", "proposal", "project"))


def notices_of(user, *, limit: int = NOTICES_LISTED) -> list[Notice]:
    """A participant's newest notices (their notifications page)."""
    return list(Notice.objects.filter(user=user).order_by("-created_at", "-id")[:limit])


def notice_settings_of(user) -> NoticeSettings:
    """A participant's choice of e-mail (unsaved defaults when they never chose)."""
    return NoticeSettings.objects.filter(user=user).first() or NoticeSettings(user=user)


def follow_target(*, process: str | None = None, proposal: int | None = None, project: int | None = None,
                  user=None) -> dict:
    """The thing to follow by its slug or id (a published process, a public proposal, a project); 404 otherwise."""
    if process is not None:
        return {"process": process_by_slug(process, user)}
    if proposal is not None:
        return {"proposal": proposal_visible(proposal, user)}
    if project is not None:
        found = Project.objects.filter(pk=project, budget__process__published=True).first()
        if found is None:
            raise NotFound(_("no project %(id)s") % {"id": project})
        return {"project": found}
    return {}


def follow_of(user, **target) -> Follow | None:
    """The user's follow of one thing (process=, proposal= or project=), if any."""
    if not (user and user.is_authenticated):
        return None
    return Follow.objects.filter(user=user, **target).first()


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
