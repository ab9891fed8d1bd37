"""Participation API: implementation records (status, progress, dates, money, department), their milestones and
photos; reading is public, writing is the city's staff's."""
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from core.filters import BBoxFilter, QueryFilterBackend

from ... import selectors
from ...errors import InvalidInput, NotFound
from ...implementation import implementation_public, implementations_public
from ...implementation_filters import ImplementationFilter
from ...models import Implementation, Milestone, Project
from ...services import implementation as services
from .. import implementation_serializers as out
from ..serializers import PhotoSerializer
from .base import E403, E409, ParticipationView


class ImplementationList(ParticipationView, generics.GenericAPIView):
    serializer_class = out.ImplementationSerializer
    queryset = Implementation.objects.none()  # the model the filters are described from
    filter_backends = [QueryFilterBackend, BBoxFilter]
    filterset_class = ImplementationFilter
    bbox_filter_field = "geom"
    bbox_filter_include_overlapping = True

    def get_permissions(self):
        return [IsAuthenticated()] if self.request.method == "POST" else []

    @extend_schema(responses=out.ImplementationSerializer(many=True))
    def get(self, request):
        """The implementation of selected projects and accepted proposals: status, progress, dates, money and the
        responsible department (filters: status, year, district, process, bbox; limit, offset)."""
        page = self.paginate_queryset(self.filter_queryset(implementations_public().order_by("-id")))
        return self.get_paginated_response(out.ImplementationSerializer(page, many=True).data)

    @extend_schema(request=out.ImplementationStartInputSerializer,
                   responses={200: out.ImplementationSerializer, 201: out.ImplementationSerializer, 403: E403,
                              409: E409})
    def post(self, request):
        """Staff start the implementation of a project the vote selected or of an accepted proposal: 201 with the
        new record, or 200 with the one already made (starting twice makes one record)."""
        body = self.body(out.ImplementationStartInputSerializer)
        if body.get("project_id"):
            project = Project.objects.select_related("budget", "proposal").filter(pk=body["project_id"]).first()
            if project is None:
                raise NotFound(_("no project %(id)s") % {"id": body["project_id"]})
            record, created = services.implementation_for_project(project=project, staff=request.user)
        elif body.get("proposal_id"):
            proposal = selectors.proposal_visible(body["proposal_id"], request.user)
            record, created = services.implementation_for_proposal(proposal=proposal, staff=request.user)
        else:
            raise InvalidInput(_("name the project_id or the proposal_id"), parameter="project_id", code="required")
        record = implementation_public(record.id)
        return Response(out.ImplementationSerializer(record).data,
                        status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class ImplementationDetail(ParticipationView):
    def get_permissions(self):
        return [IsAuthenticated()] if self.request.method == "PATCH" else []

    @extend_schema(responses=out.ImplementationDetailSerializer)
    def get(self, request, implementation_id):
        """One record with its milestones (dated, in Greek and English, with photos)."""
        return Response(out.ImplementationDetailSerializer(implementation_public(implementation_id)).data)

    @extend_schema(request=out.ImplementationInputSerializer,
                   responses={200: out.ImplementationDetailSerializer, 403: E403, 409: E409})
    def patch(self, request, implementation_id):
        """Staff change the status, progress, dates, money spent, department or the reason of a cancellation. Rules:
        progress 0 to 100; done means 100 % and an end date; the end not before the start, nor the start after a
        milestone; cancelled needs a reason. The proposal follows (in progress, done)."""
        record = implementation_public(implementation_id)
        services.implementation_update(implementation=record, staff=request.user,
                                       values=dict(self.body(out.ImplementationInputSerializer, partial=True)))
        return Response(out.ImplementationDetailSerializer(implementation_public(implementation_id)).data)


class ImplementationMilestones(ParticipationView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=out.MilestoneInputSerializer, responses={201: out.MilestoneSerializer, 403: E403, 409: E409})
    def post(self, request, implementation_id):
        """Staff add a milestone: its date (not before the project's start) and what happened, in Greek or English."""
        record = implementation_public(implementation_id)
        body = self.body(out.MilestoneInputSerializer)
        milestone = services.milestone_add(implementation=record, staff=request.user, on=body["date"],
                                           text_el=body["text_el"], text_en=body["text_en"])
        return Response(out.MilestoneSerializer(milestone).data, status=status.HTTP_201_CREATED)


class MilestonePhotos(ParticipationView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request={"multipart/form-data": {"type": "object", "properties": {
        "photo": {"type": "string", "format": "binary"}}, "required": ["photo"]}},
        responses={201: PhotoSerializer, 403: E403, 409: E409})
    def post(self, request, milestone_id):
        """Staff add a photo to a milestone (JPEG, PNG or WebP; checked, EXIF and GPS removed, resized)."""
        milestone = Milestone.objects.filter(pk=milestone_id, implementation__process__published=True).first()
        if milestone is None:
            raise NotFound(_("no milestone %(id)s") % {"id": milestone_id})
        upload = request.FILES.get("photo")
        if upload is None:
            raise InvalidInput(_("send the file as multipart/form-data field 'photo'"), parameter="photo", code="required")
        photo = services.milestone_add_photo(milestone=milestone, staff=request.user, upload=upload)
        return Response(PhotoSerializer(photo).data, status=status.HTTP_201_CREATED)
