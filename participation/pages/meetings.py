"""The meeting page (/participation/meetings/<id>/): when and where (an address or a link), places left, the
account's registration with a register, waiting-list or cancel button (plain forms, no script needed), the minutes
once closed; and the calendar files, one per meeting and a feed per process."""
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import ServiceError
from core.i18n import localized
from participation import meetings as reads
from participation.errors import NotFound
from participation.services import meetings as services
from participation.write_limit import require_write_allowance

from .resident import _signed_in, refusal_page


def _meeting_or_404(meeting_id: int):
    try:
        return reads.meeting_public(meeting_id)
    except NotFound:
        raise Http404(f"no meeting {meeting_id}") from None


def meeting_page(request, meeting_id: int):
    meeting = _meeting_or_404(meeting_id)
    registration = reads.registration_of(meeting, request.user)
    return render(request, "participation/pages/meeting.html", {
        "meeting": meeting,
        "title": localized(meeting, "title"),
        "description": localized(meeting, "description"),
        "minutes": localized(meeting, "minutes"),
        "process_title": localized(meeting.process, "title"),
        "places_left": max(meeting.capacity - meeting.registered_count, 0),
        "registration": registration,
        "waiting_position": reads.waiting_position(registration),
        "open": meeting.closed_at is None and meeting.starts_at > timezone.now(),
        "proposals": list(meeting.proposals.all()),
    })


@require_POST
def meeting_registration(request, meeting_id: int):
    """Register (or take a place on the waiting list: waiting_list=1), or cancel (cancel=1); back to the page."""
    if (login := _signed_in(request)) is not None:
        return login
    meeting = _meeting_or_404(meeting_id)
    back = reverse("participation-page-meeting", kwargs={"meeting_id": meeting.pk})
    try:
        require_write_allowance(request)
        if request.POST.get("cancel"):
            services.cancel(meeting=meeting, user=request.user)
            messages.success(request, _("Your registration is cancelled."))
        else:
            registration, _created = services.register(meeting=meeting, user=request.user,
                                                       waiting_list=bool(request.POST.get("waiting_list")))
            messages.success(request, _("You are registered.") if registration.status == "registered"
                             else _("You are on the waiting list."))
    except ServiceError as exc:
        return refusal_page(request, exc, back=back)
    return redirect(back)


def _calendar(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def meeting_calendar(request, meeting_id: int):
    meeting = _meeting_or_404(meeting_id)
    page = request.build_absolute_uri(reverse("participation-page-meeting", kwargs={"meeting_id": meeting.pk}))
    return _calendar(reads.meeting_ics(meeting, page), f"meeting-{meeting.pk}.ics")


def process_calendar(request, slug: str):
    try:
        process = reads.process_public(slug)
        meetings = list(reads.meetings_of(process))
    except NotFound:
        raise Http404(f"no meetings in {slug}") from None
    return _calendar(reads.process_ics(process, meetings, lambda m: request.build_absolute_uri(
        reverse("participation-page-meeting", kwargs={"meeting_id": m.pk}))), f"{process.slug}-meetings.ics")
