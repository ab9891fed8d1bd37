"""Collaborative drafts (as Decidim's): the author opens a draft for collaboration, others ask to join, the author
accepts (the account becomes a co-author who edits the draft) or rejects; publishing makes the draft a proposal
with those who joined as its co-authors, and closes it to new requests."""
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import phases
from ..errors import Conflict, NotAllowed
from ..models import CoAuthor, JoinRequest, Proposal, ProposalEvent
from .access import require, require_account


def draft_collaboration(*, proposal: Proposal, actor, open_: bool, now=None) -> Proposal:
    """The author opens the draft to requests to join, or closes it; a published proposal is no longer a draft."""
    require_account(actor, phases.PROPOSE)
    if proposal.author_id != actor.id:
        raise NotAllowed(_("only the author opens or closes a draft for collaboration"))
    if proposal.state != Proposal.State.DRAFT:
        raise Conflict(_("the proposal is %(state)s; only a draft is open for collaboration") % {"state": proposal.state},
                       code="not_a_draft", state=proposal.state)
    if open_:
        phases.require_phase(proposal.process, phases.PROPOSE, now)
    Proposal.objects.filter(pk=proposal.pk).update(open_for_collaboration=open_, updated_at=timezone.now())
    proposal.open_for_collaboration = open_
    return proposal


def join_request(*, proposal: Proposal, user, now=None) -> JoinRequest:
    """A request to join a collaborative draft; refused (409) when the draft is closed or the account writes it already."""
    require(user, action=phases.PROPOSE, process=proposal.process)
    if proposal.state != Proposal.State.DRAFT or not proposal.open_for_collaboration or proposal.hidden_at:
        raise Conflict(_("this draft is not open for collaboration; its author has closed it"), code="draft_closed")
    phases.require_phase(proposal.process, phases.PROPOSE, now)
    if proposal.author_id == user.id or CoAuthor.objects.filter(
            proposal=proposal, user=user, accepted_at__isnull=False).exists():
        raise Conflict(_("you write this draft already"), code="already_collaborator")
    try:
        with transaction.atomic():
            return JoinRequest.objects.create(proposal=proposal, user=user)
    except IntegrityError:
        raise Conflict(_("you asked to join this draft already"), code="already_requested") from None


def join_answer(*, join: JoinRequest, actor, accept: bool) -> JoinRequest:
    """The author accepts (the account becomes a co-author, as an accepted invitation) or rejects a request."""
    require_account(actor, phases.PROPOSE)
    proposal = join.proposal
    if proposal.author_id != actor.id:
        raise NotAllowed(_("only the draft's author answers requests to join it"))
    with transaction.atomic():
        locked = JoinRequest.objects.select_for_update().get(pk=join.pk)
        if locked.state != JoinRequest.State.PENDING:
            raise Conflict(_("this request is %(state)s already") % {"state": locked.get_state_display()},
                           code="already_answered")
        if accept and proposal.state != Proposal.State.DRAFT:
            raise Conflict(_("the proposal is %(state)s; only a draft takes collaborators") % {"state": proposal.state},
                           code="not_a_draft")
        now = timezone.now()
        locked.state = JoinRequest.State.ACCEPTED if accept else JoinRequest.State.REJECTED
        locked.answered_at = now
        locked.save(update_fields=["state", "answered_at"])
        if accept:
            CoAuthor.objects.update_or_create(proposal=proposal, user_id=locked.user_id, defaults={
                "invited_by": actor, "accepted_at": now, "declined_at": None})
            ProposalEvent.objects.create(proposal=proposal, kind=ProposalEvent.Kind.COAUTHOR, actor=actor,
                                         reason="collaborator joined")
    return locked
