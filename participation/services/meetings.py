"""Meetings: registration up to the capacity (the meeting's counter row is locked and the database refuses it above
the capacity), a waiting list whose first entry moves up in the same transaction as a cancellation, and closing by
staff with minutes, attendance and the proposals that came out of it. Staff also switch a process's components."""
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import phases
from ..components import require_component
from ..errors import Conflict, InvalidInput, NotFound
from ..models import Component, Meeting, MeetingRegistration, Process, Proposal
from .access import require_account, require_staff

Status = MeetingRegistration.Status
ACTIVE = (Status.REGISTERED, Status.WAITING)


def components_set(*, process: Process, staff, components) -> Process:
    """Staff switch the process's components on and off (unknown names are a 400 naming them)."""
    require_staff(staff, _("choosing a process's components"))
    names = list(dict.fromkeys(str(c) for c in components))
    unknown = [c for c in names if c not in Component.values]
    if unknown:
        raise InvalidInput(_("unknown components %(names)s; choose from %(known)s")
                           % {"names": ", ".join(unknown), "known": ", ".join(Component.values)},
                           parameter="components", code="unknown_component")
    process.components = [c for c in Component.values if c in names]
    process.save(update_fields=["components", "updated_at"])
    return process


def _open_for_registration(meeting: Meeting, now) -> None:
    require_component(meeting.process, Component.MEETINGS)
    if meeting.closed_at is not None:
        raise Conflict(_("this meeting is closed"), code="meeting_closed")
    if meeting.starts_at <= now:
        raise Conflict(_("registration closed when the meeting started (%(start)s)")
                       % {"start": meeting.starts_at.isoformat()}, code="meeting_started")


def register(*, meeting: Meeting, user, waiting_list: bool = False, now=None) -> tuple[MeetingRegistration, bool]:
    """(registration, created): a place while the meeting has one; when it is full a 409, or a place on the waiting
    list when asked for. Registering again answers the registration already there."""
    require_account(user, phases.REGISTER)
    now = now or timezone.now()
    _open_for_registration(meeting, now)
    with transaction.atomic():
        locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
        existing = MeetingRegistration.objects.filter(meeting=locked, user=user, status__in=ACTIVE).first()
        if existing is not None:
            return existing, False
        if locked.registered_count < locked.capacity:
            try:
                with transaction.atomic():
                    Meeting.objects.filter(pk=locked.pk).update(registered_count=F("registered_count") + 1)
            except IntegrityError:  # the database's own check: never above the capacity
                raise Conflict(_("the meeting is full"), code="meeting_full") from None
            status = Status.REGISTERED
        elif waiting_list:
            status = Status.WAITING
        else:
            raise Conflict(_("the meeting is full (%(capacity)d places); ask for a place on the waiting list "
                             "(waiting_list: true) to move up when someone cancels")
                           % {"capacity": locked.capacity}, code="meeting_full", capacity=locked.capacity)
        return MeetingRegistration.objects.create(meeting=locked, user=user, status=status), True


def cancel(*, meeting: Meeting, user, now=None) -> MeetingRegistration:
    """Cancel the account's registration or its place on the waiting list; a freed place goes, in the same
    transaction, to the first on the waiting list."""
    require_account(user, phases.REGISTER)
    now = now or timezone.now()
    require_component(meeting.process, Component.MEETINGS)
    with transaction.atomic():
        locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
        mine = MeetingRegistration.objects.filter(meeting=locked, user=user, status__in=ACTIVE).first()
        if mine is None:
            raise NotFound(_("you have no registration for this meeting"), code="not_registered")
        if locked.closed_at is not None:
            raise Conflict(_("this meeting is closed"), code="meeting_closed")
        freed = mine.status == Status.REGISTERED
        mine.status, mine.cancelled_at = Status.CANCELLED, now
        mine.save(update_fields=["status", "cancelled_at"])
        if freed:
            first = (MeetingRegistration.objects.select_for_update()
                     .filter(meeting=locked, status=Status.WAITING).order_by("created_at", "id").first())
            if first is not None:
                first.status = Status.REGISTERED
                first.save(update_fields=["status"])
            else:
                Meeting.objects.filter(pk=locked.pk).update(registered_count=F("registered_count") - 1)
        return mine


def close(*, meeting: Meeting, staff, attendees: int, minutes_el: str = "", minutes_en: str = "",
          proposal_ids=(), now=None) -> Meeting:
    """Staff close a meeting that has started: its minutes (Greek or English), how many attended and the proposals
    of the same process that came out of it."""
    require_staff(staff, _("closing a meeting"))
    now = now or timezone.now()
    require_component(meeting.process, Component.MEETINGS)
    if not (minutes_el or "").strip() and not (minutes_en or "").strip():
        raise InvalidInput(_("write the minutes in Greek or English"), parameter="minutes_el", code="required")
    proposal_ids = list(dict.fromkeys(proposal_ids or ()))
    proposals = list(Proposal.objects.filter(pk__in=proposal_ids, process_id=meeting.process_id))
    missing = sorted(set(proposal_ids) - {p.pk for p in proposals})
    if missing:
        raise InvalidInput(_("no proposal %(ids)s in this process") % {"ids": ", ".join(map(str, missing))},
                           parameter="proposal_ids", code="not_found")
    with transaction.atomic():
        locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if locked.closed_at is not None:
            raise Conflict(_("this meeting is closed already"), code="meeting_closed")
        if locked.starts_at > now:
            raise Conflict(_("a meeting is closed after it starts (%(start)s)")
                           % {"start": locked.starts_at.isoformat()}, code="meeting_not_started")
        locked.closed_at, locked.attendees = now, attendees
        locked.minutes_el, locked.minutes_en = (minutes_el or "").strip(), (minutes_en or "").strip()
        locked.save(update_fields=["closed_at", "attendees", "minutes_el", "minutes_en"])
        locked.proposals.set(proposals)
    return locked
