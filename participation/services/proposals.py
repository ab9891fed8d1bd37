"""Proposals: creating (with the districts PostGIS assigns), editing with history, co-authors, photos,
publishing, withdrawing, the city's answers through the states, and turning a report into a proposal."""
from django.utils.translation import gettext as _
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from core.photos import process_photo
from core.saved_files import atomic_with_files
from issues.models import Department, Issue

from .. import phases
from ..errors import Conflict, InvalidInput, NotAllowed
from ..models import CoAuthor, JoinRequest, Process, Proposal, ProposalCategory, ProposalDistrict, ProposalEvent, ProposalPhoto
from ..places import DistrictShare, checked_place_districts
from ..selectors import may_edit
from .access import require, require_account, require_evaluator
from .notifications import announce_invitation, announce_state, follow_start

MAX_TITLE = 200
MAX_BODY = 6000
MAX_PHOTOS = 5
MAX_REASON = 1000
# what the author and accepted co-authors may still change, and what the author may still withdraw
EDITABLE = (Proposal.State.DRAFT, Proposal.State.PUBLISHED)
WITHDRAWABLE = (Proposal.State.DRAFT, Proposal.State.PUBLISHED, Proposal.State.QUALIFIED)
# The city's answers: target state → the states it may come from, and what the answer must carry.
ANSWERS: dict[str, tuple[str, ...]] = {
    Proposal.State.ACCEPTED: (Proposal.State.PUBLISHED, Proposal.State.QUALIFIED),
    Proposal.State.REJECTED: (Proposal.State.PUBLISHED, Proposal.State.QUALIFIED, Proposal.State.ACCEPTED,
                              Proposal.State.EVALUATED),
    Proposal.State.EVALUATED: (Proposal.State.ACCEPTED,),
    Proposal.State.SELECTED: (Proposal.State.EVALUATED,),
    Proposal.State.IN_PROGRESS: (Proposal.State.SELECTED,),
    Proposal.State.DONE: (Proposal.State.IN_PROGRESS,),
}


def _checked_text(title: str, body: str) -> tuple[str, str]:
    title, body = (title or "").strip(), (body or "").strip()
    if not title:
        raise InvalidInput(_("is required"), parameter="title", code="required")
    if len(title) > MAX_TITLE:
        raise InvalidInput(_("is %(length)d characters; at most %(limit)d") % {"length": len(title), "limit": MAX_TITLE},
                           parameter="title", code="too_long")
    if not body:
        raise InvalidInput(_("is required; say what you propose and why"), parameter="body", code="required")
    if len(body) > MAX_BODY:
        raise InvalidInput(_("is %(length)d characters; at most %(limit)d") % {"length": len(body), "limit": MAX_BODY},
                           parameter="body", code="too_long")
    return title, body


def _set_districts(proposal: Proposal, shares: list[DistrictShare]) -> None:
    ProposalDistrict.objects.filter(proposal=proposal).delete()
    ProposalDistrict.objects.bulk_create(
        [ProposalDistrict(proposal=proposal, district=s.district, share=round(s.share, 6)) for s in shares])
    proposal.district = shares[0].district if shares else None
    proposal.district_codes = ",".join(sorted(s.district.code for s in shares))


def _event(proposal: Proposal, *, kind: str, actor, staff: bool = False, from_state: str = "", to_state: str = "",
           reason: str = "", snapshot: bool = False) -> ProposalEvent:
    extra = dict(title=proposal.title, body=proposal.body, geom=proposal.geom) if snapshot else {}
    return ProposalEvent.objects.create(proposal=proposal, kind=kind, actor=actor, staff=staff, from_state=from_state,
                                        to_state=to_state, reason=reason, **extra)


def proposal_create(*, process: Process, author, title: str, body: str, category: ProposalCategory | None = None,
                    place=None, publish: bool = False, from_issue: Issue | None = None, demo: bool = False,
                    now=None) -> Proposal:
    """A draft (or, with publish, a published proposal) in the proposals phase; refused before anything is
    written when the phase is closed, the text or place is wrong, or the place lies outside the scope."""
    require(author, action=phases.PROPOSE, process=process)
    phases.require_phase(process, phases.PROPOSE, now)
    title, body = _checked_text(title, body)
    shares = checked_place_districts(process, place) if place is not None else []
    with transaction.atomic():
        proposal = Proposal(process=process, author=author, title=title, body=body, category=category, geom=place,
                            from_issue=from_issue, demo=demo)
        proposal.save()
        _set_districts(proposal, shares)
        state = Proposal.State.PUBLISHED if publish else Proposal.State.DRAFT
        proposal.state = state
        proposal.published_at = timezone.now() if publish else None
        proposal.save(update_fields=["district", "district_codes", "state", "published_at"])
        _event(proposal, kind=ProposalEvent.Kind.EDIT, actor=author, snapshot=True, reason="created")
        _event(proposal, kind=ProposalEvent.Kind.STATE, actor=author, to_state=state)
        follow_start(user=author, proposal=proposal)  # the author is told of answers and replies
    return proposal


def proposal_edit(*, proposal: Proposal, editor, title: str | None = None, body: str | None = None,
                  category: ProposalCategory | None = None, place=None, clear_place: bool = False,
                  now=None) -> Proposal:
    """An edit by the author or an accepted co-author while the proposals phase is open; the history keeps
    the text and place after each edit."""
    require_account(editor, phases.PROPOSE)
    if not may_edit(proposal, editor):
        raise NotAllowed(_("only the author and accepted co-authors edit a proposal"))
    if proposal.state not in EDITABLE:
        raise Conflict(_("a %(state)s proposal is no longer edited; the city has taken it up") % {"state": proposal.state},
                       code="not_editable", state=proposal.state)
    phases.require_phase(proposal.process, phases.PROPOSE, now)
    new_title, new_body = _checked_text(proposal.title if title is None else title,
                                        proposal.body if body is None else body)
    shares = None
    if place is not None:
        shares = checked_place_districts(proposal.process, place)
    elif clear_place:
        shares = []
    with transaction.atomic():
        locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
        locked.title, locked.body = new_title, new_body
        if category is not None:
            locked.category = category
        if shares is not None:
            locked.geom = place
            _set_districts(locked, shares)
        locked.save()
        _event(locked, kind=ProposalEvent.Kind.EDIT, actor=editor, snapshot=True, reason="edited")
    return locked


def proposal_publish(*, proposal: Proposal, actor, now=None) -> Proposal:
    require_account(actor, phases.PROPOSE)
    if not may_edit(proposal, actor):
        raise NotAllowed(_("only the author and accepted co-authors publish a proposal"))
    if proposal.state != Proposal.State.DRAFT:
        raise Conflict(_("the proposal is %(state)s; only drafts are published") % {"state": proposal.state})
    phases.require_phase(proposal.process, phases.PROPOSE, now)
    with transaction.atomic():
        locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if locked.state != Proposal.State.DRAFT:
            raise Conflict(_("the proposal is %(state)s; only drafts are published") % {"state": locked.state})
        locked.state, locked.published_at = Proposal.State.PUBLISHED, timezone.now()
        locked.open_for_collaboration = False  # a collaborative draft's collaborators are now its co-authors
        locked.save(update_fields=["state", "published_at", "open_for_collaboration", "updated_at"])
        JoinRequest.objects.filter(proposal=locked, state=JoinRequest.State.PENDING).update(
            state=JoinRequest.State.REJECTED, answered_at=timezone.now())
        _event(locked, kind=ProposalEvent.Kind.STATE, actor=actor, from_state="draft", to_state=locked.state)
    return locked


def proposal_withdraw(*, proposal: Proposal, actor, reason: str) -> Proposal:
    """The author withdraws a proposal the city has not taken up yet, saying why (kept in its history)."""
    require_account(actor, phases.PROPOSE)
    if proposal.author_id != actor.id:
        raise NotAllowed(_("only the author withdraws a proposal"))
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_("say why you withdraw the proposal; it is kept in its history"), parameter="reason",
                           code="required")
    if len(reason) > MAX_REASON:
        raise InvalidInput(_("is %(length)d characters; at most %(limit)d") % {"length": len(reason), "limit": MAX_REASON},
                           parameter="reason", code="too_long")
    with transaction.atomic():
        locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if locked.state not in WITHDRAWABLE:
            raise Conflict(_("a %(state)s proposal cannot be withdrawn; the city has taken it up") % {"state": locked.state},
                           state=locked.state)
        before = locked.state
        locked.state, locked.open_for_collaboration = Proposal.State.WITHDRAWN, False
        locked.save(update_fields=["state", "open_for_collaboration", "updated_at"])
        _event(locked, kind=ProposalEvent.Kind.STATE, actor=actor, from_state=before, to_state=locked.state,
               reason=reason)
        announce_state(proposal=locked, before=before, actor=actor)
    return locked


def proposal_answer(*, proposal: Proposal, staff, to_state: str, reason: str = "", cost_estimate: int | None = None,
                    feasibility: str = "", department: Department | None = None) -> Proposal:
    """The city's official answer: a state change with its public reason (accepted, rejected need a reason;
    evaluated needs a cost estimate and the feasibility, and may name the responsible department). By the city's
    participation staff, or by the department the proposal is assigned to (a 403 for any other)."""
    require_evaluator(staff, proposal, _("answering a proposal"))
    if to_state not in ANSWERS:
        raise InvalidInput(_("must be one of %(states)s, got %(value)r") % {"states": ", ".join(ANSWERS),
                                                                          "value": str(to_state)[:30]}, parameter="state")
    reason = (reason or "").strip()
    if to_state in (Proposal.State.ACCEPTED, Proposal.State.REJECTED) and not reason:
        raise InvalidInput(_("the city says why a proposal is %(state)s; it is published with the answer")
                           % {"state": to_state}, parameter="reason", code="required")
    if to_state == Proposal.State.EVALUATED:
        if cost_estimate is None or isinstance(cost_estimate, bool) or cost_estimate <= 0:
            raise InvalidInput(_("an evaluation gives the cost in euros, a whole number above 0"),
                               parameter="cost_estimate", code="required")
        if not (feasibility or "").strip():
            raise InvalidInput(_("an evaluation says whether and how the proposal can be done"),
                               parameter="feasibility", code="required")
    if to_state == Proposal.State.SELECTED and proposal.process.budgets.exists():
        raise Conflict(_("in a participatory budget the vote selects proposals: publish the budget's results"),
                       code="selected_by_vote")
    with transaction.atomic():
        locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if locked.state not in ANSWERS[to_state]:
            raise Conflict(_("a %(state)s proposal cannot become %(target)s; from %(allowed)s only")
                           % {"state": locked.state, "target": to_state, "allowed": ", ".join(ANSWERS[to_state])},
                           state=locked.state)
        before = locked.state
        locked.state = to_state
        if reason:
            locked.answer = reason
        if to_state == Proposal.State.EVALUATED:
            locked.cost_estimate, locked.feasibility = cost_estimate, feasibility.strip()
            if department is not None:
                locked.department = department
        locked.save()
        _event(locked, kind=ProposalEvent.Kind.STATE, actor=staff, staff=True, from_state=before, to_state=to_state,
               reason=reason or feasibility.strip())
        announce_state(proposal=locked, before=before, actor=staff, reason=reason or feasibility.strip(), answer=True)
    return locked


def proposal_add_photo(*, proposal: Proposal, actor, upload) -> ProposalPhoto:
    """A photo through the shared photo pipeline (content checked, EXIF and GPS removed, resized)."""
    require_account(actor, phases.PROPOSE)
    if not may_edit(proposal, actor):
        raise NotAllowed(_("only the author and accepted co-authors add photos"))
    if proposal.state not in EDITABLE:
        raise Conflict(_("a %(state)s proposal takes no more photos; the city has taken it up") % {"state": proposal.state},
                       code="not_editable", state=proposal.state)
    if proposal.photos.count() >= MAX_PHOTOS:
        raise Conflict(_("a proposal has at most %(count)d photos") % {"count": MAX_PHOTOS})
    processed = process_photo(upload, parameter="photo")
    photo = ProposalPhoto(proposal=proposal, width=processed.width, height=processed.height)
    with atomic_with_files() as saved_files:
        saved_files.save(photo.photo, processed.photo)
        saved_files.save(photo.thumbnail, processed.thumbnail)
        photo.save()
    return photo


def coauthor_invite(*, proposal: Proposal, inviter, username: str) -> CoAuthor:
    """The author invites an account to write the proposal with them; the invitee answers from their inbox."""
    require_account(inviter, phases.PROPOSE)
    if proposal.author_id != inviter.id:
        raise NotAllowed(_("only the author invites co-authors"))
    if proposal.state not in EDITABLE:
        raise Conflict(_("a %(state)s proposal is no longer edited; the city has taken it up") % {"state": proposal.state},
                       code="not_editable", state=proposal.state)
    invitee = get_user_model().objects.filter(username=username).first()
    if invitee is None:
        raise InvalidInput(_("no account %(value)r") % {"value": str(username)[:60]}, parameter="username", code="not_found")
    if invitee.id == proposal.author_id:
        raise InvalidInput(_("you are the author; invite someone else"), parameter="username", code="self")
    with transaction.atomic():
        coauthor, created = CoAuthor.objects.get_or_create(proposal=proposal, user=invitee,
                                                           defaults={"invited_by": inviter})
        if not created:
            raise Conflict(_("%(username)s is already invited") % {"username": username}, code="already_invited")
        ProposalEvent.objects.create(proposal=proposal, kind=ProposalEvent.Kind.COAUTHOR, actor=inviter,
                                     reason="co-author invited")
        announce_invitation(proposal=proposal, invitee=invitee, inviter=inviter)
    return coauthor


def _invitation(proposal: Proposal, user) -> CoAuthor:
    coauthor = CoAuthor.objects.select_for_update().filter(proposal=proposal, user=user).first()
    if coauthor is None:
        raise NotAllowed(_("you are not invited to co-author this proposal"))
    if coauthor.accepted_at is not None:
        raise Conflict(_("you accepted this invitation already"), code="already_accepted")
    if coauthor.declined_at is not None:
        raise Conflict(_("you declined this invitation; ask the author to invite you again"), code="already_declined")
    return coauthor


def coauthor_accept(*, proposal: Proposal, user) -> CoAuthor:
    """An invitation accepted once: the account then edits the proposal with its author (409 the second time)."""
    require_account(user, phases.PROPOSE)
    with transaction.atomic():
        coauthor = _invitation(proposal, user)
        coauthor.accepted_at = timezone.now()
        coauthor.save(update_fields=["accepted_at"])
        ProposalEvent.objects.create(proposal=proposal, kind=ProposalEvent.Kind.COAUTHOR, actor=user,
                                     reason="co-author joined")
    return coauthor


def coauthor_decline(*, proposal: Proposal, user) -> CoAuthor:
    require_account(user, phases.PROPOSE)
    with transaction.atomic():
        coauthor = _invitation(proposal, user)
        coauthor.declined_at = timezone.now()
        coauthor.save(update_fields=["declined_at"])
    return coauthor


def proposal_from_report(*, process: Process, issue: Issue, actor, title: str = "", now=None) -> Proposal:
    """A draft proposal from an Improve My City report, at its place, with its text; by its reporter or staff."""
    require_account(actor, phases.PROPOSE)
    if not (actor.is_staff or (issue.user_id is not None and issue.user_id == actor.id)):
        raise NotAllowed(_("a report becomes a proposal by its reporter or by the city's staff"))
    body = issue.description.strip() or f"From the report of {issue.created_at:%Y-%m-%d} ({issue.category.name_en})."
    return proposal_create(process=process, author=actor, title=title.strip() or issue.category.name_en, body=body,
                           place=issue.location, from_issue=issue, now=now)
