"""The participation figures as JSON or CSV (staff who may read the figures), and a process's participants per
1,000 residents by district as GeoJSON (public: counts only)."""
import csv
import io

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from issues import permissions
from layers.coordinates import CoordinateError, parse_datetime

from participation.figures import FIGURES, FigureScope, default_scope, participation_by_district, participation_figures
from participation.models import Process


class FiguresCSVRenderer(BaseRenderer):
    """figure,value rows, in the order of participation.figures.FIGURES."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        out = io.StringIO()
        writer = csv.writer(out)
        if isinstance(data, dict) and "detail" in data:
            writer.writerow(["error", data["detail"]])
        else:
            writer.writerow(["figure", "value"])
            writer.writerow(["from", data["from"]])
            writer.writerow(["to", data["to"]])
            writer.writerow(["process", data["process"] or ""])
            for name in FIGURES:
                value = data["figures"][name]
                writer.writerow([name, "" if value is None else value])
        return out.getvalue().encode("utf-8")


def _scope(params) -> FigureScope:
    process = None
    if params.get("process"):
        process = Process.objects.filter(slug=params["process"]).first()
        if process is None:
            raise ValidationError({"detail": f"process: no process {params['process'][:60]!r}"})
    scope = default_scope(process)
    try:
        start = parse_datetime(params["from"], parameter="from") if params.get("from") else scope.start
        end = parse_datetime(params["to"], parameter="to") if params.get("to") else scope.end
    except CoordinateError as exc:
        raise ValidationError({"detail": str(exc)}) from None
    if end <= start:
        raise ValidationError({"detail": "to: must be after from"})
    return FigureScope(start=start, end=end, process=process)


FIGURE_PARAMETERS = [
    OpenApiParameter("from", OpenApiTypes.DATETIME, description="default: the process's start, or a year before to"),
    OpenApiParameter("to", OpenApiTypes.DATETIME, description="default: now (or the process's end, if later)"),
    OpenApiParameter("process", str, description="a process's slug; default: every process"),
]


class ParticipationFigures(APIView):
    """The roadmap's participation figures; ?format=csv for a spreadsheet."""

    permission_classes = [IsAuthenticated]
    renderer_classes = [JSONRenderer, FiguresCSVRenderer]

    @extend_schema(tags=["participation"], parameters=FIGURE_PARAMETERS, responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        if not permissions.can_read_figures(request.user):
            raise PermissionDenied("the figures are for administrators, civil-protection planners and department managers")
        scope = _scope(request.query_params)
        response = Response({"from": scope.start.isoformat(), "to": scope.end.isoformat(),
                             "process": scope.process.slug if scope.process else None,
                             "figures": participation_figures(scope)})
        if request.accepted_renderer.format == "csv":
            response["Content-Disposition"] = 'attachment; filename="participation.csv"'
        return response


class ProcessDistricts(APIView):
    """Participants of a process with a verified residence, per district and per 1,000 residents (GeoJSON)."""

    permission_classes = []

    @extend_schema(tags=["participation"], responses={200: OpenApiTypes.OBJECT})
    def get(self, request, slug):
        process = get_object_or_404(Process, slug=slug, published=True)
        return Response(participation_by_district(default_scope(process)))
