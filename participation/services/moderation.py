"""Moderation: residents report a proposal or a comment with a reason (one report per account); enough reports
from distinct verified accounts hide it until a moderator decides; moderators hide and restore with a public
reason, and block an account (its content hidden, its writes refused) and unblock it. Every decision is recorded
with its reason, and the account concerned sees it on its activity page."""
from datetime import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Count, F
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import phases
from ..errors import Conflict, InvalidInput, NotFound
from ..models import AccountBlock, Comment, CommentFlag, HiddenCause, ModerationDecision, Proposal, ProposalFlag
from .access import require_account, require_staff, verification_of

MAX_REASON = 300
Action = ModerationDecision.Action
# the stored reasons of hiding no moderator wrote (the pages say them in the reader's language from hidden_cause)
REPORTS_REASON = "hidden after reports from residents, until a moderator reviews it"
BLOCK_REASON = "its author's account is blocked"


def _checked_reason(reason: str, *, what: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(what, parameter="reason", code="required")
    if len(reason) > MAX_REASON:
        raise InvalidInput(_("is %(length)d characters; at most %(limit)d") % {"length": len(reason), "limit": MAX_REASON},
                           parameter="reason", code="too_long")
    return reason


def _restored_since(**target) -> datetime | None:
    """When the content was last shown again by a moderator: reports before it were answered then."""
    return (ModerationDecision.objects.filter(action=Action.RESTORED, **target)
            .order_by("-at").values_list("at", flat=True).first())


def _reports_hide(flags, restored: datetime | None) -> bool:
    verified = flags.filter(verified=True)
    if restored is not None:
        verified = verified.filter(created_at__gt=restored)
    return verified.count() >= settings.PARTICIPATION_HIDE_AFTER_REPORTS


def _is_verified(user) -> bool:
    verification = verification_of(user)
    return verification is not None and verification.verified


def proposal_flag(*, proposal: Proposal, user, reason: str) -> Proposal:
    """A report of a proposal with its reason; once per account (409 the second time). The report that brings the
    verified accounts' reports to PARTICIPATION_HIDE_AFTER_REPORTS hides it until a moderator decides."""
    require_account(user, phases.REPORT)
    reason = _checked_reason(reason, what=_("say what is wrong with it, for the moderators"))
    if proposal.author_id == user.id:
        raise Conflict(_("you cannot report your own proposal; withdraw it instead"), code="own_content")
    try:
        with transaction.atomic():
            ProposalFlag.objects.create(proposal=proposal, user=user, reason=reason, verified=_is_verified(user))
            Proposal.objects.filter(pk=proposal.pk).update(flag_count=F("flag_count") + 1)
            locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
            if locked.hidden_at is None and _reports_hide(locked.flags.all(), _restored_since(proposal=locked)):
                _hide_proposal(locked, moderator=None, reason=REPORTS_REASON, action=Action.HIDDEN_AFTER_REPORTS)
    except IntegrityError:
        raise Conflict(_("you reported this proposal already"), code="already_reported") from None
    return locked


def comment_flag(*, comment: Comment, user, reason: str) -> Comment:
    """A report of a comment with its reason; once per account; hidden after enough verified accounts' reports."""
    require_account(user, phases.REPORT)
    reason = _checked_reason(reason, what=_("say what is wrong with it, for the moderators"))
    if comment.author_id == user.id:
        raise Conflict(_("you cannot report your own comment"), code="own_content")
    try:
        with transaction.atomic():
            CommentFlag.objects.create(comment=comment, user=user, reason=reason, verified=_is_verified(user))
            Comment.objects.filter(pk=comment.pk).update(flag_count=F("flag_count") + 1)
            locked = Comment.objects.select_for_update().get(pk=comment.pk)
            if locked.hidden_at is None and _reports_hide(locked.flags.all(), _restored_since(comment=locked)):
                _hide_comment(locked, moderator=None, reason=REPORTS_REASON, action=Action.HIDDEN_AFTER_REPORTS)
    except IntegrityError:
        raise Conflict(_("you reported this comment already"), code="already_reported") from None
    return locked


def _cause(moderator) -> str:
    return HiddenCause.MODERATOR if moderator is not None else HiddenCause.REPORTS


def _hide_proposal(proposal: Proposal, *, moderator, reason: str, action: str) -> None:
    proposal.hidden_at, proposal.hidden_by, proposal.hidden_reason = timezone.now(), moderator, reason[:MAX_REASON]
    proposal.hidden_cause = _cause(moderator)
    proposal.save(update_fields=["hidden_at", "hidden_by", "hidden_reason", "hidden_cause", "updated_at"])
    ModerationDecision.objects.create(account_id=proposal.author_id, action=action, proposal=proposal,
                                      reason=reason[:MAX_REASON], moderator=moderator)


def _hide_comment(comment: Comment, *, moderator, reason: str, action: str) -> None:
    comment.hidden_at, comment.hidden_by, comment.hidden_reason = timezone.now(), moderator, reason[:MAX_REASON]
    comment.hidden_cause = _cause(moderator)
    comment.save(update_fields=["hidden_at", "hidden_by", "hidden_reason", "hidden_cause"])
    Proposal.objects.filter(pk=comment.proposal_id).update(comment_count=F("comment_count") - 1)
    ModerationDecision.objects.create(account_id=comment.author_id, action=action, comment=comment,
                                      reason=reason[:MAX_REASON], moderator=moderator)


def proposal_hide(*, proposal: Proposal, moderator, reason: str) -> Proposal:
    """Hidden from the public with a public reason; its author is told on the activity page."""
    require_staff(moderator, _("hiding a proposal"))
    reason = _checked_reason(reason, what=_("say why it is hidden; the reason is public and its author is told"))
    with transaction.atomic():
        locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if locked.hidden_at is not None:
            raise Conflict(_("the proposal is hidden already"), code="already_hidden")
        _hide_proposal(locked, moderator=moderator, reason=reason, action=Action.HIDDEN)
    return locked


def proposal_restore(*, proposal: Proposal, moderator, reason: str) -> Proposal:
    """Shown again, with a public reason; its author is told. Reports sent before it no longer count."""
    require_staff(moderator, _("showing a proposal again"))
    reason = _checked_reason(reason, what=_("say why it is shown again; its author is told"))
    with transaction.atomic():
        locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if locked.hidden_at is None:
            raise Conflict(_("the proposal is not hidden"), code="not_hidden")
        if locked.hidden_cause == HiddenCause.BLOCK:
            raise Conflict(_("the proposal is hidden because its author is blocked; unblock the account"),
                           code="author_blocked")
        locked.hidden_at, locked.hidden_by, locked.hidden_reason, locked.hidden_cause = None, None, "", ""
        locked.save(update_fields=["hidden_at", "hidden_by", "hidden_reason", "hidden_cause", "updated_at"])
        ModerationDecision.objects.create(account_id=locked.author_id, action=Action.RESTORED, proposal=locked,
                                          reason=reason, moderator=moderator)
    return locked


def comment_hide(*, comment: Comment, staff, reason: str) -> Comment:
    """Hidden from the public with a reason; the text stays stored for audit, and its author is told."""
    require_staff(staff, _("hiding a comment"))
    reason = _checked_reason(reason, what=_("say why the comment is hidden (kept for audit)"))
    with transaction.atomic():
        locked = Comment.objects.select_for_update().get(pk=comment.pk)
        if locked.hidden_at is not None:
            raise Conflict(_("the comment is hidden already"), code="already_hidden")
        _hide_comment(locked, moderator=staff, reason=reason, action=Action.HIDDEN)
    return locked


def comment_restore(*, comment: Comment, moderator, reason: str) -> Comment:
    require_staff(moderator, _("showing a comment again"))
    reason = _checked_reason(reason, what=_("say why it is shown again; its author is told"))
    with transaction.atomic():
        locked = Comment.objects.select_for_update().get(pk=comment.pk)
        if locked.hidden_at is None:
            raise Conflict(_("the comment is not hidden"), code="not_hidden")
        if locked.hidden_cause == HiddenCause.BLOCK:
            raise Conflict(_("the comment is hidden because its author is blocked; unblock the account"),
                           code="author_blocked")
        locked.hidden_at, locked.hidden_by, locked.hidden_reason, locked.hidden_cause = None, None, "", ""
        locked.save(update_fields=["hidden_at", "hidden_by", "hidden_reason", "hidden_cause"])
        Proposal.objects.filter(pk=locked.proposal_id).update(comment_count=F("comment_count") + 1)
        ModerationDecision.objects.create(account_id=locked.author_id, action=Action.RESTORED, comment=locked,
                                          reason=reason, moderator=moderator)
    return locked


def _account(username: str):
    account = get_user_model().objects.filter(username=username).first()
    if account is None:
        raise NotFound(_("no account %(value)r") % {"value": str(username)[:60]}, parameter="username")
    return account


def account_block(*, username: str, moderator, reason: str):
    """The account's proposals and comments are hidden and its participation writes refused (403), until it is
    unblocked; the reason is recorded and shown to the account."""
    require_staff(moderator, _("blocking an account"))
    reason = _checked_reason(reason, what=_("say why the account is blocked; it is recorded and shown to the account"))
    account = _account(username)
    if account.is_staff:
        raise Conflict(_("a staff account is not blocked here; remove its staff status first"), code="staff_account")
    now = timezone.now()
    with transaction.atomic():
        block, created = AccountBlock.objects.get_or_create(user=account,
                                                            defaults={"reason": reason, "blocked_by": moderator})
        if not created:
            raise Conflict(_("the account is blocked already"), code="already_blocked")
        Proposal.objects.filter(author=account, hidden_at__isnull=True).update(
            hidden_at=now, hidden_reason=BLOCK_REASON, hidden_cause=HiddenCause.BLOCK, updated_at=now)
        visible = Comment.objects.filter(author=account, hidden_at__isnull=True)
        per_proposal = list(visible.values("proposal_id").annotate(n=Count("id")))
        visible.update(hidden_at=now, hidden_reason=BLOCK_REASON, hidden_cause=HiddenCause.BLOCK)
        for row in per_proposal:
            Proposal.objects.filter(pk=row["proposal_id"]).update(comment_count=F("comment_count") - row["n"])
        ModerationDecision.objects.create(account=account, action=Action.BLOCKED, reason=reason, moderator=moderator)
    return block


def account_unblock(*, username: str, moderator, reason: str) -> None:
    """The block lifted: the content it hid is shown again (not what moderators hid for its own reasons)."""
    require_staff(moderator, _("unblocking an account"))
    reason = _checked_reason(reason, what=_("say why the account is unblocked; it is recorded and shown to the account"))
    account = _account(username)
    with transaction.atomic():
        deleted, _by_model = AccountBlock.objects.filter(user=account).delete()
        if not deleted:
            raise Conflict(_("the account is not blocked"), code="not_blocked")
        Proposal.objects.filter(author=account, hidden_cause=HiddenCause.BLOCK).update(
            hidden_at=None, hidden_reason="", hidden_cause="", updated_at=timezone.now())
        hidden = Comment.objects.filter(author=account, hidden_cause=HiddenCause.BLOCK)
        per_proposal = list(hidden.values("proposal_id").annotate(n=Count("id")))
        hidden.update(hidden_at=None, hidden_reason="", hidden_cause="")
        for row in per_proposal:
            Proposal.objects.filter(pk=row["proposal_id"]).update(comment_count=F("comment_count") + row["n"])
        ModerationDecision.objects.create(account=account, action=Action.UNBLOCKED, reason=reason, moderator=moderator)
