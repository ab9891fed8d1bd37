"""A report's lifecycle: transitions, reassignment, duplicates, notes, comments and supports, under optimistic locking."""

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import Conflict

from core.saved_files import atomic_with_files

from ..errors import ReportError
from ..models import (
    Department, Issue, IssueUpdate, Support, Watcher,
)
from .outbox import notify_department, notify_reporter
from .reporting import MAX_DESCRIPTION


class TransitionNotAllowed(Conflict):
    """409: the transition table does not allow the move; `allowed` lists the actions that are."""

    code = "transition_not_allowed"

    def __init__(self, issue: Issue, to_status: str, allowed: list[str]):
        super().__init__(
            _("an issue that is %(status)s cannot become %(to_status)s; allowed: %(allowed)s")
            % {"status": issue.status, "to_status": to_status, "allowed": ", ".join(allowed) or _("none")},
            allowed=[action_for(state) for state in allowed],
        )



TRANSITIONS: dict[str, tuple[str, ...]] = {
    "new": ("acknowledged", "in_progress", "resolved", "closed"),
    "acknowledged": ("in_progress", "resolved", "closed"),
    "in_progress": ("resolved", "closed"),
    "resolved": ("closed", "reopened"),
    "closed": ("reopened",),
    "reopened": ("acknowledged", "in_progress", "resolved", "closed"),
}


# The staff's workflow actions: the state each moves to, or None for those that do not change the state
ACTIONS = {
    "acknowledge": "acknowledged",
    "start": "in_progress",
    "resolve": "resolved",
    "close": "closed",
    "reopen": "reopened",
    "reassign": None,
    "duplicate": None,
    "public_update": None,
    "internal_note": None,
}



def action_for(state: str) -> str:
    """The action that moves an issue to `state` (its name when none does)."""
    return {v: k for k, v in ACTIONS.items() if v}.get(state, state)


class StaleVersion(Conflict):
    """409: the issue changed since the caller read it: their write would overwrite someone else's."""

    code = "stale_version"

    def __init__(self, expected: int, current: int):
        super().__init__(
            _("the issue changed since you loaded it (you sent version %(expected)d, it is now at version %(current)d); "
              "reload it and try again") % {"expected": expected, "current": current},
            version=current,
        )


def _locked(issue: Issue, expected_version: int | None) -> Issue:
    """The issue's row, locked for this transaction, checked against the version the caller saw."""
    current = Issue.objects.select_for_update(of=("self",)).select_related("category", "department", "district").get(pk=issue.pk)
    if expected_version is not None and current.version != expected_version:
        raise StaleVersion(expected_version, current.version)
    return current


def issue_transition(
    *, issue: Issue, to_status: str, actor: str, user=None, note: str = "", public: bool = True, close_reason: str = "",
    expected_version: int | None = None, photo=None,
) -> IssueUpdate:
    """Move an issue to another state, record who, when, from, to and the note, and tell the reporter.

    expected_version, when given, must be the issue's current version (else StaleVersion).
    """
    caller_copy = issue
    with atomic_with_files() as saved_files:
        issue = _locked(issue, expected_version)
        allowed = list(TRANSITIONS.get(issue.status, ()))
        if to_status not in allowed:
            raise TransitionNotAllowed(issue, to_status, allowed)
        if to_status == Issue.Status.CLOSED:
            if close_reason not in Issue.CloseReason.values:
                raise ReportError("reason", _("closing needs a reason: one of %(reasons)s")
                                  % {"reasons": ", ".join(Issue.CloseReason.values)}, code="required")
        elif close_reason:
            raise ReportError("reason", _("a close reason is only given when closing"))
        if len(note) > MAX_DESCRIPTION:
            raise ReportError("note", _("is %(length)d characters; at most %(limit)d")
                              % {"length": len(note), "limit": MAX_DESCRIPTION}, code="too_long")
        update = IssueUpdate(
            issue=issue, kind=IssueUpdate.Kind.STATUS, from_status=issue.status, to_status=to_status,
            close_reason=close_reason, description=note, public=public, actor=actor, user=user,
            changes={"status": [issue.status, to_status]},
        )
        if photo is not None:
            saved_files.save(update.photo, photo.photo)
        update.save()
        issue.status = to_status
        issue.close_reason = close_reason
        if to_status == Issue.Status.RESOLVED:
            issue.resolved_at = timezone.now()
        elif to_status == Issue.Status.REOPENED:
            issue.resolved_at = None
            issue.reopened_count += 1
        if public and note:
            issue.status_notes = note
        issue.version += 1
        issue.save()
        if public:
            notify_reporter(issue, update)
    caller_copy.refresh_from_db()
    return update


def issue_reassign(
    *, issue: Issue, department: Department, reason: str, actor: str, user=None, expected_version: int | None = None
) -> IssueUpdate:
    """Hand an issue to another department at once; the reason is required and kept in the history."""
    reason = reason.strip()
    if not reason:
        raise ReportError("reason", _("reassigning needs a reason"), code="required")
    if not department.active:
        raise ReportError("department", _("department %(slug)s is not active") % {"slug": department.slug})
    with transaction.atomic():
        current = _locked(issue, expected_version)
        if current.department_id == department.pk:
            raise ReportError("department", _("the issue is already with %(slug)s") % {"slug": department.slug})
        if not current.is_open:
            raise Conflict(_("a %(status)s issue is not reassigned; reopen it first") % {"status": current.status})
        before = current.department.slug
        current.department = department
        current.routing_note = f"reassigned from {before} to {department.slug} by {actor}: {reason}"[:400]
        current.version += 1
        current.save()
        update = IssueUpdate.objects.create(
            issue=current, kind=IssueUpdate.Kind.REASSIGN, description=reason, public=False, actor=actor, user=user,
            from_status=current.status, to_status=current.status, changes={"department": [before, department.slug]},
        )
        notify_department(current)
    issue.refresh_from_db()
    return update


def issue_mark_duplicate(
    *, issue: Issue, original: Issue, actor: str, user=None, note: str = "", expected_version: int | None = None
) -> IssueUpdate:
    """Close an issue as a duplicate of another; its supports and its watchers (reporter included) move over."""
    if original.pk == issue.pk:
        raise ReportError("duplicate_of", _("an issue cannot be a duplicate of itself"))
    with transaction.atomic():
        current = _locked(issue, expected_version)
        target = Issue.objects.select_for_update().get(pk=original.pk)
        if target.duplicate_of_id is not None:
            raise ReportError("duplicate_of", _("issue %(issue)d is itself a duplicate of %(original)d; use that one")
                              % {"issue": target.pk, "original": target.duplicate_of_id})
        if Issue.Status.CLOSED not in TRANSITIONS.get(current.status, ()):
            raise TransitionNotAllowed(current, Issue.Status.CLOSED, list(TRANSITIONS.get(current.status, ())))
        moved_supports = 0
        for support in list(current.supports.all()):
            clash = Support.objects.filter(issue=target).filter(
                Q(user_id=support.user_id) if support.user_id else Q(device_id=support.device_id)
            )
            if clash.exists():
                support.delete()
            else:
                support.issue = target
                support.save(update_fields=["issue"])
                moved_supports += 1
        emails = set(current.watchers.values_list("email", flat=True)) | ({current.email} if current.email else set())
        for email in emails - {target.email}:
            Watcher.objects.get_or_create(issue=target, email=email)
        current.watchers.all().delete()
        update = IssueUpdate.objects.create(
            issue=current, kind=IssueUpdate.Kind.DUPLICATE, from_status=current.status, to_status=Issue.Status.CLOSED,
            close_reason=Issue.CloseReason.DUPLICATE, description=note or f"duplicate of #{target.pk}", public=True,
            actor=actor, user=user, changes={"status": [current.status, "closed"], "duplicate_of": [None, target.pk],
                                            "supports_moved": [0, moved_supports]},
        )
        current.status = Issue.Status.CLOSED
        current.close_reason = Issue.CloseReason.DUPLICATE
        current.duplicate_of = target
        current.status_notes = update.description
        current.version += 1
        current.save()
        notify_reporter(current, update)
    issue.refresh_from_db()
    return update


def issue_note(
    *, issue: Issue, text: str, public: bool, actor: str, user=None, expected_version: int | None = None
) -> IssueUpdate:
    """A staff note: public (shown in the updates feed, becomes status_notes, told to the reporter) or internal."""
    text = text.strip()
    if not text:
        raise ReportError("note", _("the note is empty"), code="required")
    if len(text) > MAX_DESCRIPTION:
        raise ReportError("note", _("is %(length)d characters; at most %(limit)d")
                          % {"length": len(text), "limit": MAX_DESCRIPTION}, code="too_long")
    with transaction.atomic():
        current = _locked(issue, expected_version)
        update = IssueUpdate.objects.create(
            issue=current, kind=IssueUpdate.Kind.NOTE, description=text, public=public, actor=actor, user=user,
            from_status=current.status, to_status=current.status, close_reason=current.close_reason,
            changes={"status_notes": [current.status_notes, text]} if public else {},
        )
        if public:
            current.status_notes = text
        current.version += 1
        current.save()
        if public:
            notify_reporter(current, update)
    issue.refresh_from_db()
    return update


def issue_comment(*, issue: Issue, text: str, actor: str, author_name: str = "", user=None) -> IssueUpdate:
    """Add a public comment to an issue."""

    text = text.strip()
    if not text:
        raise ReportError("text", _("is required"), code="required")
    if len(text) > MAX_DESCRIPTION:
        raise ReportError("text", _("is %(length)d characters; at most %(limit)d")
                          % {"length": len(text), "limit": MAX_DESCRIPTION}, code="too_long")
    if len(author_name) > 100:
        raise ReportError("author_name", _("is longer than 100 characters"), code="too_long")
    return IssueUpdate.objects.create(
        issue=issue, kind=IssueUpdate.Kind.COMMENT, description=text, public=True, actor=actor,
        author_name=author_name.strip(), user=user, from_status=issue.status, to_status=issue.status,
        close_reason=issue.close_reason,
    )


class AlreadySupported(Conflict):
    """409: this account or device supports the issue already."""

    code = "already_supported"


def issue_support(*, issue: Issue, user=None, device_id: str = "") -> Support:
    """Add a "me too": one per account (when signed in) or per device."""

    if user is None and not device_id:
        raise ReportError("device_id", _("is required when not signed in"), code="required")
    if len(device_id) > 100:
        raise ReportError("device_id", "is longer than 100 characters")
    try:
        with transaction.atomic():
            return Support.objects.create(issue=issue, user=user, device_id="" if user is not None else device_id)
    except IntegrityError:
        raise AlreadySupported(_("this account or device already supports this issue")) from None


