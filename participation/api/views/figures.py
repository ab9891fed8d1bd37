"""Participation API: the participation figures (the roadmap's indicators) and its outcome indicator per year, as
JSON or CSV, each figure with its definition; demo data left out unless include_demo=true."""
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from core.params import flag

from ...errors import InvalidInput
from ...figures import FIGURE_GROUPS, figures, outcome_indicator
from ..renderers import FiguresCSVRenderer, OutcomeCSVRenderer
from .base import ParticipationView

INCLUDE_DEMO = OpenApiParameter("include_demo", bool, description="count the demo data too (labelled in the answer)")
DEMO_FIELDS = {
    "include_demo": serializers.BooleanField(),
    "demo_label": serializers.CharField(allow_null=True, help_text="set when demo data is counted"),
    "definitions": serializers.DictField(child=serializers.CharField(), help_text="what each figure counts"),
}


class Figures(ParticipationView):
    renderer_classes = [JSONRenderer, FiguresCSVRenderer]

    @extend_schema(parameters=[
        OpenApiParameter("by", str, enum=list(FIGURE_GROUPS), description="group by process, district or month"),
        INCLUDE_DEMO],
        responses={200: inline_serializer("ParticipationFigures", {
            "by": serializers.CharField(), "totals": serializers.DictField(child=serializers.FloatField(allow_null=True)),
            "rows": serializers.ListField(child=serializers.DictField()), **DEMO_FIELDS})})
    def get(self, request):
        """The roadmap's indicators: initiatives, participants, comments, supports, votes, co-creation
        participants and the share of municipal projects done with participation; per process, district or
        month (format=csv for a spreadsheet: a row per group, a total row, then each figure's definition)."""
        by = request.query_params.get("by", "process")
        if by not in FIGURE_GROUPS:
            raise InvalidInput(f"one of {', '.join(FIGURE_GROUPS)}, got {by[:30]!r}", parameter="by")
        response = Response(figures(by=by, include_demo=flag(request.query_params, "include_demo")))
        if request.accepted_renderer.format == "csv":
            response["Content-Disposition"] = f'attachment; filename="participation-figures-{by}.csv"'
        return response


class OutcomeFigures(ParticipationView):
    renderer_classes = [JSONRenderer, OutcomeCSVRenderer]

    @extend_schema(parameters=[INCLUDE_DEMO], responses={200: inline_serializer("ParticipationOutcome", {
        "definition": serializers.CharField(),
        "rows": serializers.ListField(child=inline_serializer("ParticipationOutcomeYear", {
            "year": serializers.IntegerField(), "implemented_projects": serializers.IntegerField(),
            "participatory_projects": serializers.IntegerField(),
            "share": serializers.FloatField(allow_null=True)})), **DEMO_FIELDS})})
    def get(self, request):
        """The roadmap's outcome indicator per year of completion: implemented projects shaped by a participatory
        process ÷ all implemented municipal projects, with its definition (format=csv: a row per year, then the
        definitions)."""
        response = Response(outcome_indicator(include_demo=flag(request.query_params, "include_demo")))
        if request.accepted_renderer.format == "csv":
            response["Content-Disposition"] = 'attachment; filename="participation-outcome.csv"'
        return response
