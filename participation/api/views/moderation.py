"""Participation API: reporting a proposal, and the moderators' work: the queue, hiding and showing again a proposal
or a comment with a public reason, blocking and unblocking an account."""
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from ... import selectors
from ...services import moderation
from ...services.access import require_staff
from .. import serializers as out
from .base import E409, ParticipationView


class ProposalFlag(ParticipationView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=out.FlagInputSerializer, responses={200: out.ProposalSummarySerializer, 409: E409})
    def post(self, request, proposal_id):
        """Report a proposal to the moderators with the reason (once per account). Enough reports from distinct
        verified accounts (PARTICIPATION_HIDE_AFTER_REPORTS) hide it until a moderator decides."""
        proposal = selectors.proposal_visible(proposal_id, request.user)
        reason = self.body(out.FlagInputSerializer)["reason"]
        proposal = moderation.proposal_flag(proposal=proposal, user=request.user, reason=reason)
        return Response(out.ProposalSummarySerializer(proposal).data)


class ModerationQueue(ParticipationView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=out.ModerationQueueSerializer)
    def get(self, request):
        """Staff: reported or hidden proposals and comments with the reports' reasons, and the blocked accounts."""
        require_staff(request.user, "moderating")
        return Response(out.ModerationQueueSerializer(selectors.moderation_queue()).data)


class ProposalModeration(ParticipationView):
    permission_classes = [IsAuthenticated]
    hide = True

    @extend_schema(request=out.ModerationInputSerializer, responses={200: out.ProposalSummarySerializer, 409: E409})
    def post(self, request, proposal_id):
        proposal = selectors.proposal_for_moderation(proposal_id)
        reason = self.body(out.ModerationInputSerializer)["reason"]
        action = moderation.proposal_hide if self.hide else moderation.proposal_restore
        return Response(out.ProposalSummarySerializer(action(proposal=proposal, moderator=request.user, reason=reason)).data)


class ProposalHide(ProposalModeration):
    """Staff hide a proposal with a public reason; its author is told on the activity page."""


class ProposalRestore(ProposalModeration):
    """Staff show a hidden proposal again with a public reason; its author is told."""

    hide = False


class CommentRestore(ParticipationView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=out.ModerationInputSerializer, responses={200: out.ProposalCommentSerializer, 409: E409})
    def post(self, request, comment_id):
        """Staff show a hidden comment again with a public reason; its author is told."""
        comment = selectors.comment_for_moderation(comment_id)
        reason = self.body(out.ModerationInputSerializer)["reason"]
        comment = moderation.comment_restore(comment=comment, moderator=request.user, reason=reason)
        return Response(out.ProposalCommentSerializer(comment, context={"user": request.user}).data)


Blocked = inline_serializer("AccountBlocked", {"username": serializers.CharField(), "blocked": serializers.BooleanField()})


class AccountBlocks(ParticipationView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=out.BlockInputSerializer, responses={200: Blocked, 409: E409})
    def post(self, request):
        """Staff block an account: its proposals and comments are hidden, its participation writes refused (403),
        the reason recorded and shown to it."""
        body = self.body(out.BlockInputSerializer)
        moderation.account_block(username=body["username"], moderator=request.user, reason=body["reason"])
        return Response({"username": body["username"], "blocked": True})


class AccountUnblock(ParticipationView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=out.BlockInputSerializer, responses={200: Blocked, 409: E409})
    def post(self, request):
        """Staff unblock an account, with the reason: the content its block hid is shown again."""
        body = self.body(out.BlockInputSerializer)
        moderation.account_unblock(username=body["username"], moderator=request.user, reason=body["reason"])
        return Response({"username": body["username"], "blocked": False})
