"""Participation API: proposal categories and participatory processes."""
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from ... import selectors
from ...models import ProposalCategory
from .. import serializers as out
from .base import ParticipationView


class CategoryList(ParticipationView):
    @extend_schema(responses=out.ProposalCategorySerializer(many=True))
    def get(self, request):
        """Proposal categories."""
        return Response(out.ProposalCategorySerializer(ProposalCategory.objects.order_by("slug"), many=True).data)


class ProcessList(ParticipationView):
    @extend_schema(responses=out.ProcessSerializer(many=True))
    def get(self, request):
        """Participatory processes with their phases, the current phase, what may be done now, and budgets."""
        return Response(out.ProcessSerializer(selectors.processes_visible(request.user), many=True).data)


class ProcessDetail(ParticipationView):
    @extend_schema(responses=out.ProcessSerializer)
    def get(self, request, slug):
        """One process."""
        return Response(out.ProcessSerializer(selectors.process_by_slug(slug, request.user)).data)
