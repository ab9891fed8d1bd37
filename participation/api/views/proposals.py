"""Participation API: proposals (create, similar, from a report, edit, publish, withdraw, answer, history, photos), co-authors."""
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from issues.models import Issue
from core.bodies import validated
from core.filters import BBoxFilter, QueryFilterBackend

from ... import selectors
from ...errors import InvalidInput
from ...filters import ProposalFilter
from ...inputs import PhotoInputSerializer
from ...models import Proposal
from ...services import proposals
from .. import serializers as out
from .base import E403, E409, ParticipationView


def _proposal_context(request, proposals_list) -> dict:
    return {"user": request.user, "supported": selectors.supported_ids(request.user, [p.id for p in proposals_list])}


class ProposalList(ParticipationView, generics.GenericAPIView):
    serializer_class = out.ProposalSerializer
    queryset = Proposal.objects.none()  # the model the filters are described from; the process's proposals are read below
    filter_backends = [QueryFilterBackend, BBoxFilter]
    filterset_class = ProposalFilter
    bbox_filter_field = "geom"
    bbox_filter_include_overlapping = True

    @extend_schema(responses=out.ProposalSerializer(many=True))
    def get(self, request, slug):
        """Proposals of a process, newest first (limit, offset)."""
        process = selectors.process_by_slug(slug, request.user)
        page = self.paginate_queryset(self.filter_queryset(selectors.proposals_of(process)))
        return self.get_paginated_response(
            out.ProposalSerializer(page, many=True, context=_proposal_context(request, page)).data)

    @extend_schema(request=out.ProposalInputSerializer, responses={201: out.ProposalSerializer, 403: E403, 409: E409})
    def post(self, request, slug):
        """A new proposal (a draft, or published with publish=true), in the proposals phase. The place's districts
        are assigned by PostGIS; a place outside the process's scope or an invalid geometry is refused (400)."""
        process = selectors.process_by_slug(slug, request.user)
        body = self.body(out.ProposalInputSerializer)
        proposal = proposals.proposal_create(
            process=process, author=request.user, title=body["title"], body=body["body"],
            category=body.get("category"), place=body.get("place"), publish=body["publish"])
        proposal = selectors.proposal_visible(proposal.id, request.user)
        return Response(out.ProposalSerializer(proposal, context=_proposal_context(request, [proposal])).data,
                        status=status.HTTP_201_CREATED)


class SimilarProposals(ParticipationView):
    unlimited_methods = ("POST",)  # a search before publishing: it writes nothing
    @extend_schema(request=out.SimilarInputSerializer, responses=out.SimilarProposalSerializer(many=True))
    def post(self, request, slug):
        """Before publishing: published proposals nearby or worded alike (case and Greek accents ignored)."""
        process = selectors.process_by_slug(slug, request.user)
        body = self.body(out.SimilarInputSerializer)
        text = (body["title"] + " " + body["body"])[:2000].strip()
        rows = selectors.similar_proposals(process=process, text=text, place=body.get("place"))
        return Response(out.SimilarProposalSerializer(rows, many=True).data)


class ProposalFromReport(ParticipationView):
    @extend_schema(request=out.FromReportInputSerializer,
        responses={201: out.ProposalSerializer, 403: E403, 409: E409})
    def post(self, request, slug):
        """Turn an Improve My City report into a draft proposal at its place (its reporter or staff)."""
        process = selectors.process_by_slug(slug, request.user)
        body = self.body(out.FromReportInputSerializer)
        issue_id = body["issue_id"]
        issue = Issue.objects.select_related("category").filter(pk=issue_id).first()
        if issue is None:
            raise InvalidInput(_("no report %(id)s") % {"id": issue_id}, parameter="issue_id", code="not_found")
        proposal = proposals.proposal_from_report(process=process, issue=issue, actor=request.user,
                                                  title=body["title"])
        proposal = selectors.proposal_visible(proposal.id, request.user)
        return Response(out.ProposalSerializer(proposal, context=_proposal_context(request, [proposal])).data,
                        status=status.HTTP_201_CREATED)


class ProposalDetail(ParticipationView):
    @extend_schema(responses=out.ProposalSerializer)
    def get(self, request, proposal_id):
        """One proposal: text, place, districts with shares, state, the city's answer, photos."""
        proposal = selectors.proposal_visible(proposal_id, request.user)
        return Response(out.ProposalSerializer(proposal, context=_proposal_context(request, [proposal])).data)

    @extend_schema(request=out.ProposalInputSerializer(partial=True),
                   responses={200: out.ProposalSerializer, 403: E403, 409: E409})
    def patch(self, request, proposal_id):
        """Edit (author or accepted co-author, proposals phase); the history keeps every version.
        place: null clears the place (a city-wide idea)."""
        proposal = selectors.proposal_visible(proposal_id, request.user)
        body = self.body(out.ProposalInputSerializer, partial=True)
        proposals.proposal_edit(
            proposal=proposal, editor=request.user, title=body.get("title"), body=body.get("body"),
            category=body.get("category"), place=body.get("place"),
            clear_place="place" in body and body["place"] is None)
        proposal = selectors.proposal_visible(proposal_id, request.user)
        return Response(out.ProposalSerializer(proposal, context=_proposal_context(request, [proposal])).data)


class ProposalPublish(ParticipationView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={200: out.ProposalSerializer, 409: E409})
    def post(self, request, proposal_id):
        """Publish a draft (proposals phase); a collaborative draft's collaborators become its co-authors."""
        proposal = selectors.proposal_visible(proposal_id, request.user)
        proposals.proposal_publish(proposal=proposal, actor=request.user)
        proposal = selectors.proposal_visible(proposal_id, request.user)
        return Response(out.ProposalSerializer(proposal, context=_proposal_context(request, [proposal])).data)


class ProposalWithdraw(ParticipationView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=out.WithdrawInputSerializer, responses={200: out.ProposalSerializer, 409: E409})
    def post(self, request, proposal_id):
        """The author withdraws a proposal the city has not taken up yet, with the reason (kept in its history)."""
        proposal = selectors.proposal_visible(proposal_id, request.user)
        reason = self.body(out.WithdrawInputSerializer)["reason"]
        proposals.proposal_withdraw(proposal=proposal, actor=request.user, reason=reason)
        proposal = selectors.proposal_visible(proposal_id, request.user)
        return Response(out.ProposalSerializer(proposal, context=_proposal_context(request, [proposal])).data)


class ProposalAnswer(ParticipationView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=out.AnswerInputSerializer,
        responses={200: out.ProposalSerializer, 403: E403, 409: E409})
    def post(self, request, proposal_id):
        """The city's official answer (the city's participation staff, or the department the proposal is assigned
        to): accepted or rejected with the reason, evaluated with the cost, feasibility and responsible department,
        selected (outside a budget), in progress, done. Published in the proposal's history."""
        proposal = selectors.proposal_visible(proposal_id, request.user)
        body = self.body(out.AnswerInputSerializer)
        department = selectors.department_by_slug(body["department"]) if body["department"] else None
        proposals.proposal_answer(proposal=proposal, staff=request.user, to_state=body["state"], reason=body["reason"],
                                  cost_estimate=body.get("cost_estimate"), feasibility=body["feasibility"],
                                  department=department)
        proposal = selectors.proposal_visible(proposal_id, request.user)
        return Response(out.ProposalSerializer(proposal, context=_proposal_context(request, [proposal])).data)


class ProposalHistory(ParticipationView):
    @extend_schema(responses=out.ProposalEventSerializer(many=True))
    def get(self, request, proposal_id):
        """The proposal's full public history: state changes with the city's reasons, and each version."""
        proposal = selectors.proposal_visible(proposal_id, request.user)
        return Response(out.ProposalEventSerializer(selectors.proposal_history(proposal), many=True).data)


class ProposalPhotos(ParticipationView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request={"multipart/form-data": PhotoInputSerializer},
                   responses={201: out.PhotoSerializer, 409: E409})
    def post(self, request, proposal_id):
        """Add a photo (JPEG, PNG or WebP; checked, EXIF and GPS removed, resized), while the proposal is edited."""
        proposal = selectors.proposal_visible(proposal_id, request.user)
        upload = validated(PhotoInputSerializer(data=request.data))["photo"]
        photo = proposals.proposal_add_photo(proposal=proposal, actor=request.user, upload=upload)
        return Response(out.PhotoSerializer(photo).data, status=status.HTTP_201_CREATED)


class CoAuthors(ParticipationView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=out.CoAuthorInputSerializer,
                   responses={201: inline_serializer("CoAuthorInvited", {"invited": serializers.CharField()}),
                              409: E409})
    def post(self, request, proposal_id):
        """The author invites a co-author by account name (co-creation)."""
        proposal = selectors.proposal_visible(proposal_id, request.user)
        username = self.body(out.CoAuthorInputSerializer)["username"]
        proposals.coauthor_invite(proposal=proposal, inviter=request.user, username=username)
        return Response({"invited": username}, status=status.HTTP_201_CREATED)


class CoAuthorAccept(ParticipationView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses=inline_serializer("CoAuthorAccepted", {"accepted": serializers.BooleanField()}))
    def post(self, request, proposal_id):
        """Accept an invitation to co-author: you may then edit the proposal (409 when it was answered already)."""
        proposal = selectors.proposal_visible(proposal_id, request.user)
        proposals.coauthor_accept(proposal=proposal, user=request.user)
        return Response({"accepted": True})


class CoAuthorDecline(ParticipationView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={200: inline_serializer("CoAuthorDeclined", {"declined": serializers.BooleanField()}),
                                            409: E409})
    def post(self, request, proposal_id):
        """Decline an invitation to co-author (409 when it was answered already)."""
        proposal = selectors.proposal_visible(proposal_id, request.user)
        proposals.coauthor_decline(proposal=proposal, user=request.user)
        return Response({"declined": True})
