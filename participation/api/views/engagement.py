"""Participation API: engagement with a proposal: supports, comments (flag, hide) and the reports near it."""
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import NotAuthenticated
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from core.params import parse_int

from ... import selectors
from ...services import engagement, moderation
from .. import serializers as out
from .base import E403, E409, ParticipationView


SupportAnswer = inline_serializer("SupportAnswer", {
    "support_count": serializers.IntegerField(), "state": serializers.CharField(),
    "supported_by_me": serializers.BooleanField()})


class ProposalSupport(ParticipationView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={200: SupportAnswer, 403: E403, 409: E409})
    def post(self, request, proposal_id):
        """Support a proposal (supports phase; once; within the process's cap). Reaching the threshold
        qualifies it."""
        proposal = selectors.proposal_visible(proposal_id, request.user)
        proposal = engagement.support_give(proposal=proposal, user=request.user)
        return Response({"support_count": proposal.support_count, "state": proposal.state, "supported_by_me": True})

    @extend_schema(request=None, responses={200: SupportAnswer, 403: E403, 409: E409})
    def delete(self, request, proposal_id):
        """Withdraw your support while the supports phase is open."""
        proposal = selectors.proposal_visible(proposal_id, request.user)
        proposal = engagement.support_withdraw(proposal=proposal, user=request.user)
        return Response({"support_count": proposal.support_count, "state": proposal.state, "supported_by_me": False})


class ProposalComments(ParticipationView):
    @extend_schema(responses=out.ProposalCommentSerializer(many=True))
    def get(self, request, proposal_id):
        """Comments, oldest first, with parent ids for threads; hidden ones without their text, with the reason."""
        proposal = selectors.proposal_visible(proposal_id, request.user)
        return Response(out.ProposalCommentSerializer(selectors.comments_of(proposal), many=True,
                                              context={"user": request.user}).data)

    @extend_schema(request=out.CommentInputSerializer,
        responses={201: out.ProposalCommentSerializer, 403: E403, 409: E409})
    def post(self, request, proposal_id):
        """Comment (parent: the comment answered)."""
        if not request.user.is_authenticated:
            raise NotAuthenticated("commenting needs an account: sign in first")
        proposal = selectors.proposal_visible(proposal_id, request.user)
        body = self.body(out.CommentInputSerializer)
        comment = engagement.comment_post(proposal=proposal, author=request.user, body=body["body"],
                                          parent_id=body.get("parent"))
        return Response(out.ProposalCommentSerializer(comment, context={"user": request.user}).data,
                        status=status.HTTP_201_CREATED)


class CommentFlag(ParticipationView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=out.FlagInputSerializer,
                   responses={200: out.ProposalCommentSerializer, 409: E409})
    def post(self, request, comment_id):
        """Report a comment to the moderators with the reason (once per account). Enough reports from distinct
        verified accounts (PARTICIPATION_HIDE_AFTER_REPORTS) hide it until a moderator decides."""
        comment = moderation.comment_flag(comment=selectors.comment_by_id(comment_id, request.user), user=request.user,
                                          reason=self.body(out.FlagInputSerializer)["reason"])
        return Response(out.ProposalCommentSerializer(comment, context={"user": request.user}).data)


class CommentHide(ParticipationView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=out.HideInputSerializer,
                   responses={200: out.ProposalCommentSerializer, 409: E409})
    def post(self, request, comment_id):
        """Staff hide a comment with a reason; the text is kept for audit."""
        comment = moderation.comment_hide(comment=selectors.comment_by_id(comment_id, request.user), staff=request.user,
                                          reason=self.body(out.HideInputSerializer)["reason"])
        return Response(out.ProposalCommentSerializer(comment, context={"user": request.user}).data)


class NearbyReports(ParticipationView):
    @extend_schema(parameters=[OpenApiParameter("metres", int, description="1 to 2000; default the setting")],
                   responses=out.NearbyReportSerializer(many=True))
    def get(self, request, proposal_id):
        """Open Improve My City reports near the proposal's place."""
        proposal = selectors.proposal_visible(proposal_id, request.user)
        raw = request.query_params.get("metres")
        metres = parse_int(raw, parameter="metres", low=1, high=2000) if raw else None
        return Response(out.NearbyReportSerializer(selectors.nearby_reports(proposal, metres=metres), many=True).data)
