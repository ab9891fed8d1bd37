"""Participation API: a process's meetings (in person or online), registration with a waiting list, cancelling,
and closing by staff with the minutes, attendance and the proposals that came out of it."""
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from core.api_errors import ErrorSerializer

from ... import meetings as reads
from ...errors import NotFound
from ...services import meetings as services
from .. import meeting_serializers as out
from .base import E403, E409, ParticipationView

E404 = OpenApiResponse(ErrorSerializer, "no such meeting, or the process does not use meetings")


def _registration(registration) -> dict:
    registration.waiting_position = reads.waiting_position(registration)
    return out.RegistrationSerializer(registration).data


class ProcessMeetings(ParticipationView):
    @extend_schema(responses={200: out.MeetingSerializer(many=True), 404: E404})
    def get(self, request, slug):
        """The process's meetings by start: in person (address and place) or online (link), capacity, places
        taken, the waiting list, and once closed the minutes, attendance and proposals (404 when the process
        does not use meetings). Its calendar: /participation/<slug>/meetings.ics."""
        meetings = reads.meetings_of(reads.process_public(slug))
        return Response(out.MeetingSerializer(meetings, many=True).data)


class MeetingDetail(ParticipationView):
    @extend_schema(responses={200: out.MeetingSerializer, 404: E404})
    def get(self, request, meeting_id):
        """One meeting (its calendar file: /participation/meetings/<id>/calendar.ics)."""
        return Response(out.MeetingSerializer(reads.meeting_public(meeting_id)).data)


class Registration(ParticipationView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: out.RegistrationSerializer, 404: E404})
    def get(self, request, meeting_id):
        """The signed-in account's registration (registered or waiting, with its place in the queue)."""
        meeting = reads.meeting_public(meeting_id)
        registration = reads.registration_of(meeting, request.user)
        if registration is None:
            raise NotFound(_("you have no registration for this meeting"), code="not_registered")
        return Response(_registration(registration))

    @extend_schema(request=out.RegistrationInputSerializer,
                   responses={200: out.RegistrationSerializer, 201: out.RegistrationSerializer, 403: E403, 404: E404,
                              409: E409})
    def post(self, request, meeting_id):
        """Register: 201 with a place, or, when the meeting is full, 409 (code meeting_full) unless waiting_list is
        true: then 201 with a place on the waiting list. Registering again: 200 with the registration already
        there. Open until the meeting starts."""
        meeting = reads.meeting_public(meeting_id)
        body = self.body(out.RegistrationInputSerializer)
        registration, created = services.register(meeting=meeting, user=request.user,
                                                  waiting_list=body["waiting_list"])
        return Response(_registration(registration), status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    @extend_schema(responses={200: out.RegistrationSerializer, 404: E404, 409: E409})
    def delete(self, request, meeting_id):
        """Cancel the registration (or the place on the waiting list); the first on the waiting list takes the
        freed place at once."""
        meeting = reads.meeting_public(meeting_id)
        return Response(_registration(services.cancel(meeting=meeting, user=request.user)))


class MeetingClose(ParticipationView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=out.MeetingCloseInputSerializer,
                   responses={200: out.MeetingSerializer, 403: E403, 404: E404, 409: E409})
    def post(self, request, meeting_id):
        """Staff close a meeting once it has started: the minutes (Greek or English), how many attended (in-person
        attendance counts in the participation figures) and the proposals that came out of it."""
        meeting = reads.meeting_public(meeting_id)
        body = self.body(out.MeetingCloseInputSerializer)
        services.close(meeting=meeting, staff=request.user, attendees=body["attendees"],
                       minutes_el=body["minutes_el"], minutes_en=body["minutes_en"],
                       proposal_ids=body["proposal_ids"])
        return Response(out.MeetingSerializer(reads.meeting_public(meeting_id)).data)
