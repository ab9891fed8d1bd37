"""Participation API: a resident's own pages' data: the activity (proposals, supports, comments, the budgets voted
in, the moderators' decisions), the inbox (co-author invitations, requests to join one's drafts), and collaborative
drafts (open or close a draft, ask to join, answer a request)."""
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from ... import selectors
from ...services import collaboration
from .. import serializers as out
from .base import E403, E409, ParticipationView


class MyActivity(ParticipationView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=out.ActivitySerializer)
    def get(self, request):
        """Your proposals (own and co-authored, every state), supports, comments, the budgets you voted in, and the
        moderators' decisions about your content or account."""
        return Response(out.ActivitySerializer(selectors.activity_of(request.user)).data)


class MyInbox(ParticipationView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=out.InboxSerializer)
    def get(self, request):
        """Invitations to co-author waiting for your answer, requests to join your drafts, and your own requests."""
        return Response(out.InboxSerializer(selectors.inbox_of(request.user)).data)


class DraftCollaboration(ParticipationView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=out.CollaborationInputSerializer, responses={200: out.ProposalSummarySerializer, 409: E409})
    def post(self, request, proposal_id):
        """The author opens a draft for others to ask to join (a collaborative draft), or closes it."""
        proposal = selectors.proposal_visible(proposal_id, request.user)
        open_ = self.body(out.CollaborationInputSerializer)["open"]
        proposal = collaboration.draft_collaboration(proposal=proposal, actor=request.user, open_=open_)
        return Response(out.ProposalSummarySerializer(proposal).data)


class JoinRequests(ParticipationView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={201: out.JoinRequestSerializer, 403: E403, 409: E409})
    def post(self, request, proposal_id):
        """Ask to join a collaborative draft (409 when it is closed, or asked already); its author answers."""
        proposal = selectors.proposal_visible(proposal_id, request.user)
        join = collaboration.join_request(proposal=proposal, user=request.user)
        return Response(out.JoinRequestSerializer(join).data, status=status.HTTP_201_CREATED)


class JoinAnswer(ParticipationView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=out.JoinAnswerInputSerializer, responses={200: out.JoinRequestSerializer, 409: E409})
    def post(self, request, request_id):
        """The draft's author accepts (a co-author who edits the draft) or rejects a request to join."""
        join = selectors.join_request_by_id(request_id)
        accept = self.body(out.JoinAnswerInputSerializer)["accept"]
        join = collaboration.join_answer(join=join, actor=request.user, accept=accept)
        return Response(out.JoinRequestSerializer(join).data)
