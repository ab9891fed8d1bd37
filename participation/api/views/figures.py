"""Participation API: the participation figures (the roadmap's indicators), as JSON or CSV."""
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from ...errors import InvalidInput
from ...figures import FIGURE_GROUPS, figures
from ..renderers import FiguresCSVRenderer
from .base import ParticipationView


class Figures(ParticipationView):
    renderer_classes = [JSONRenderer, FiguresCSVRenderer]

    @extend_schema(parameters=[
        OpenApiParameter("by", str, enum=list(FIGURE_GROUPS), description="group by process, district or month")],
        responses={200: inline_serializer("ParticipationFigures", {
            "by": serializers.CharField(), "totals": serializers.DictField(child=serializers.FloatField(allow_null=True)),
            "rows": serializers.ListField(child=serializers.DictField())})})
    def get(self, request):
        """The roadmap's indicators: initiatives, participants, comments, supports, votes, co-creation
        participants and the share of municipal projects done with participation; per process, district or
        month (format=csv for a spreadsheet: a row per group and a total row)."""
        by = request.query_params.get("by", "process")
        if by not in FIGURE_GROUPS:
            raise InvalidInput(f"one of {', '.join(FIGURE_GROUPS)}, got {by[:30]!r}", parameter="by")
        response = Response(figures(by=by))
        if request.accepted_renderer.format == "csv":
            response["Content-Disposition"] = f'attachment; filename="participation-figures-{by}.csv"'
        return response
