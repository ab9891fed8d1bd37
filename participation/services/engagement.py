"""Supports (one per participant per proposal, a cap per process, a threshold that qualifies) and threaded
comments (reported and hidden through services/moderation.py)."""
from django.utils.translation import gettext as _
from django.db import IntegrityError, connection, transaction
from django.db.models import F

from .. import phases
from ..errors import Conflict, InvalidInput, NotFound
from ..models import Comment, Proposal, ProposalEvent, Support
from .access import require, require_account
from .notifications import announce_reply, announce_state

MAX_COMMENT = 4000
SUPPORTABLE = (Proposal.State.PUBLISHED, Proposal.State.QUALIFIED)


def _lock_participant(process_id: int, user_id: int) -> None:
    """Serialises one participant's supports in one process, so that the cap holds under concurrent requests."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [int(process_id) % 2**31, int(user_id) % 2**31])


def _requalify(proposal: Proposal, actor) -> None:
    threshold = proposal.process.support_threshold
    before = proposal.state
    if before == Proposal.State.PUBLISHED and threshold and proposal.support_count >= threshold:
        proposal.state = Proposal.State.QUALIFIED
    elif before == Proposal.State.QUALIFIED and proposal.support_count < threshold:
        proposal.state = Proposal.State.PUBLISHED
    if proposal.state != before:
        proposal.save(update_fields=["state"])
        ProposalEvent.objects.create(proposal=proposal, kind=ProposalEvent.Kind.STATE, from_state=before,
                                     to_state=proposal.state, actor=None,
                                     reason=f"{proposal.support_count} supports, threshold {threshold}")
        announce_state(proposal=proposal, before=before, actor=None)


def support_give(*, proposal: Proposal, user, now=None) -> Proposal:
    """One support; 409 when given already, when the cap is reached or outside the supports phase."""
    process = proposal.process
    require(user, action=phases.SUPPORT, process=process, districts=_proposal_districts(proposal))
    phases.require_phase(process, phases.SUPPORT, now)
    if proposal.state not in SUPPORTABLE:
        raise Conflict(_("a %(state)s proposal takes no supports") % {"state": proposal.state})
    try:
        with transaction.atomic():
            _lock_participant(process.id, user.id)
            if Support.objects.filter(proposal=proposal, user=user).exists():
                raise Conflict(_("you support this proposal already"), code="already_supported")
            if process.support_cap:
                given = Support.objects.filter(process=process, user=user).count()
                if given >= process.support_cap:
                    raise Conflict(_("you have given all %(cap)d supports of this process; withdraw one to support another")
                                   % {"cap": process.support_cap}, code="support_cap", cap=process.support_cap)
            Support.objects.create(proposal=proposal, process=process, user=user)
            Proposal.objects.filter(pk=proposal.pk).update(support_count=F("support_count") + 1)
            locked = Proposal.objects.select_for_update().select_related("process").get(pk=proposal.pk)
            _requalify(locked, user)
    except IntegrityError:
        raise Conflict(_("you support this proposal already"), code="already_supported") from None
    return locked


def _proposal_districts(proposal: Proposal) -> list:
    return [share.district for share in proposal.district_shares.select_related("district")]


def support_withdraw(*, proposal: Proposal, user, now=None) -> Proposal:
    require_account(user, phases.SUPPORT)
    phases.require_phase(proposal.process, phases.SUPPORT, now)
    with transaction.atomic():
        _lock_participant(proposal.process_id, user.id)
        deleted, _by_model = Support.objects.filter(proposal=proposal, user=user).delete()
        if not deleted:
            raise NotFound(_("you do not support this proposal"))
        Proposal.objects.filter(pk=proposal.pk).update(support_count=F("support_count") - 1)
        locked = Proposal.objects.select_for_update().select_related("process").get(pk=proposal.pk)
        _requalify(locked, user)
    return locked


def comment_post(*, proposal: Proposal, author, body: str, parent_id: int | None = None, now=None) -> Comment:
    require(author, action=phases.COMMENT, process=proposal.process)
    phases.require_phase(proposal.process, phases.COMMENT, now)
    if proposal.state in (Proposal.State.DRAFT, Proposal.State.WITHDRAWN):
        raise Conflict(_("a %(state)s proposal takes no comments") % {"state": proposal.state})
    body = (body or "").strip()
    if not body:
        raise InvalidInput(_("is required"), parameter="body", code="required")
    if len(body) > MAX_COMMENT:
        raise InvalidInput(_("is %(length)d characters; at most %(limit)d") % {"length": len(body), "limit": MAX_COMMENT},
                           parameter="body", code="too_long")
    parent = None
    if parent_id is not None:
        parent = Comment.objects.filter(pk=parent_id, proposal=proposal).first()
        if parent is None:
            raise InvalidInput(_("no comment %(id)s on this proposal") % {"id": parent_id}, parameter="parent", code="not_found")
    with transaction.atomic():
        comment = Comment.objects.create(proposal=proposal, parent=parent, author=author, body=body)
        Proposal.objects.filter(pk=proposal.pk).update(comment_count=F("comment_count") + 1)
        if parent is not None:
            announce_reply(proposal=proposal, parent=parent, author=author)
        return comment
