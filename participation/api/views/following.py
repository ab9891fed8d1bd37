"""Participation API: following a process, a proposal or a project, and a participant's notices and e-mail choice."""
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from ... import selectors
from ...services import notifications
from .. import serializers as out
from .base import ParticipationView


class Follows(ParticipationView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=out.FollowSerializer(many=True))
    def get(self, request):
        """What you follow, newest first."""
        return Response(out.FollowSerializer(selectors.follows_of(request.user), many=True).data)

    @extend_schema(request=out.FollowInputSerializer, responses={201: out.FollowSerializer})
    def post(self, request):
        """Follow a process (its slug), a proposal or a project (their ids): you are told of answers, changes of
        state, a phase opening, new milestones and replies, on the notifications page and by e-mail. Following the
        same thing again answers the follow already there."""
        body = self.body(out.FollowInputSerializer)
        target = selectors.follow_target(user=request.user, **body)
        follow = notifications.follow_start(user=request.user, **target)
        return Response(out.FollowSerializer(follow).data, status=status.HTTP_201_CREATED)


class FollowDetail(ParticipationView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={204: OpenApiResponse(description="no longer followed")})
    def delete(self, request, follow_id):
        """Stop following."""
        notifications.follow_stop(user=request.user, follow_id=follow_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class Notifications(ParticipationView):
    permission_classes = [IsAuthenticated]

    def _answer(self, user) -> Response:
        chosen = selectors.notice_settings_of(user)
        return Response(out.NotificationsSerializer({
            "daily_digest": chosen.daily_digest, "email": not chosen.email_off,
            "notices": selectors.notices_of(user)}).data)

    @extend_schema(responses=out.NotificationsSerializer)
    def get(self, request):
        """Your newest notices (at most 100) and how you are e-mailed."""
        return self._answer(request.user)

    @extend_schema(request=out.NoticeSettingsSerializer, responses=out.NotificationsSerializer)
    def put(self, request):
        """Choose: each notice by e-mail at once, the day's notices in one digest, or no e-mail."""
        body = self.body(out.NoticeSettingsSerializer)
        notifications.notice_settings_set(user=request.user, daily_digest=body["daily_digest"], email=body["email"])
        return self._answer(request.user)
