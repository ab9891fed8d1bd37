"""Reading meetings: the public meetings of a process (its meetings component on), one meeting, an account's
registration, and their iCalendar files (one per meeting, a feed per process)."""
from django.db.models import Count, Q
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vGeo

from core.i18n import localized

from .components import require_component
from .errors import NotFound
from .models import Component, Meeting, MeetingRegistration, Process

PRODID = "-//Municipality of Thessaloniki//GIS portal participation//EN"


def _public():
    return (Meeting.objects.select_related("process").filter(process__published=True)
            .annotate(waiting=Count("registrations", filter=Q(registrations__status="waiting"))))


def process_public(slug: str) -> Process:
    process = Process.objects.filter(slug=slug, published=True).first()
    if process is None:
        raise NotFound(_("no process %(slug)s") % {"slug": slug})
    return process


def meetings_of(process: Process):
    """The process's meetings by start; 404 when the process does not use meetings."""
    require_component(process, Component.MEETINGS)
    return _public().filter(process=process).prefetch_related("proposals").order_by("starts_at", "id")


def meeting_public(meeting_id: int) -> Meeting:
    meeting = _public().prefetch_related("proposals").filter(pk=meeting_id).first()
    if meeting is None:
        raise NotFound(_("no meeting %(id)s") % {"id": meeting_id})
    require_component(meeting.process, Component.MEETINGS)
    return meeting


def registration_of(meeting: Meeting, user) -> MeetingRegistration | None:
    if user is None or not user.is_authenticated:
        return None
    return MeetingRegistration.objects.filter(meeting=meeting, user=user, status__in=("registered", "waiting")).first()


def waiting_position(registration: MeetingRegistration | None) -> int | None:
    """1 for the first on the waiting list."""
    if registration is None or registration.status != "waiting":
        return None
    return MeetingRegistration.objects.filter(
        meeting_id=registration.meeting_id, status="waiting").filter(
        Q(created_at__lt=registration.created_at) | Q(created_at=registration.created_at, id__lte=registration.id)).count()


def _event(meeting: Meeting, page_url: str) -> Event:
    event = Event()
    event.add("uid", f"participation-meeting-{meeting.pk}@gis-portal")
    event.add("dtstamp", meeting.created_at)
    event.add("dtstart", meeting.starts_at)
    event.add("dtend", meeting.ends_at)
    event.add("summary", localized(meeting, "title"))
    description = localized(meeting, "description")
    if meeting.mode == Meeting.Mode.ONLINE:
        event.add("location", meeting.url)
        description = f"{description}\n{meeting.url}".strip()
    else:
        event.add("location", meeting.address)
        event.add("geo", vGeo((meeting.geom.y, meeting.geom.x)))
    if description:
        event.add("description", description)
    event.add("url", page_url)
    event.add("status", "CONFIRMED")
    return event


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    return calendar


def meeting_ics(meeting: Meeting, page_url: str) -> bytes:
    calendar = _calendar(localized(meeting, "title"))
    calendar.add_component(_event(meeting, page_url))
    return calendar.to_ical()


def process_ics(process: Process, meetings, page_url) -> bytes:
    """page_url(meeting) -> the absolute address of the meeting's page."""
    calendar = _calendar(localized(process, "title"))
    for meeting in meetings:
        calendar.add_component(_event(meeting, page_url(meeting)))
    return calendar.to_ical()
