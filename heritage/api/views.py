"""The heritage API: organisations and cultural objects (a withdrawn one answers 410), monuments at risk, and the
portal's figures (JSON or CSV)."""
import csv
import io

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics
from rest_framework.exceptions import NotFound
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api_errors import ErrorSerializer
from core.errors import NotAllowed
from core.page_access import planner_or_administrator
from core.params import ParameterError
from hazards.models import HazardKind
from issues.api.figures import CSVRenderer

from .. import at_risk, selectors
from ..figures import portal_figures
from ..usage import visits_roll_up
from .serializers import (
    CulturalObjectSerializer,
    ObjectFilterSerializer,
    OrganisationSerializer,
    WithdrawnSerializer,
)


class OrganisationList(generics.ListAPIView):
    """The organisations that provide heritage records (museums, galleries, ephorates, archives)."""

    serializer_class = OrganisationSerializer
    pagination_class = None

    def get_queryset(self):
        return selectors.organisations()


@extend_schema(parameters=[ObjectFilterSerializer])
class ObjectList(generics.ListAPIView):
    """Cultural objects not withdrawn, filtered by period, EDM type, organisation and site."""

    serializer_class = CulturalObjectSerializer

    def get_queryset(self):
        filters = ObjectFilterSerializer(data=self.request.query_params)
        if not filters.is_valid():  # 400 {"detail": "<parameter>: <what to send>"}, as every list of the API
            parameter, messages = next(iter(filters.errors.items()))
            raise ParameterError(parameter, str(messages[0]))
        return selectors.public_objects(**filters.validated_data)


class ObjectDetail(APIView):
    """One cultural object by its identifier; 410 Gone when it was withdrawn."""

    @extend_schema(responses={200: CulturalObjectSerializer, 404: OpenApiResponse(description="no such object"),
                              410: WithdrawnSerializer})
    def get(self, request, identifier: str):
        obj = selectors.object_by_identifier(identifier)
        if obj is None:
            raise NotFound(f"no cultural object {identifier!r}")
        if obj.deleted is not None:
            return Response({"detail": f"cultural object {identifier!r} was withdrawn", "withdrawn": obj.deleted},
                            status=410)
        return Response(CulturalObjectSerializer(obj).data)


class AtRisk(APIView):
    """Monuments at risk, ranked the most at risk first: for a hazard (`hazard`, e.g. flood: each monument's level
    and its district's level) or a stored earthquake scenario (`scenario`: shaking and the probability of at least
    moderate damage; planners and administrators only, as the scenarios). One of the two, with the method used."""

    @extend_schema(
        tags=["heritage"],
        parameters=[OpenApiParameter("hazard", str, enum=[kind for kind, _label in HazardKind.choices],
                                     description="a hazard kind with a layer loaded"),
                    OpenApiParameter("scenario", int, description="a computed earthquake scenario's id "
                                                                  "(/api/hazards/scenarios)")],
        responses={200: OpenApiTypes.OBJECT, 400: ErrorSerializer, 403: ErrorSerializer, 404: ErrorSerializer})
    def get(self, request):
        hazard, scenario = request.query_params.get("hazard"), request.query_params.get("scenario")
        if bool(hazard) == bool(scenario):
            raise ParameterError("hazard" if not hazard else "scenario",
                                 _("give either hazard (one of %(choices)s) or scenario (an id), not both nor neither")
                                 % {"choices": ", ".join(at_risk.hazard_kinds())}, code="required")
        if hazard:
            return Response(at_risk.monuments_at_risk_for_hazard(at_risk.hazard_from_param(hazard)))
        if not planner_or_administrator(request.user):
            raise NotAllowed(_("earthquake scenarios are for planners: sign in with an account in the planners' group"),
                             parameter="scenario")
        return Response(at_risk.monuments_at_risk_in_scenario(at_risk.scenario_from_param(scenario)))


class FiguresCSVRenderer(CSVRenderer):
    """The figures as CSV: figure, period (a month, or empty for a count now), value, and the figure's definition."""

    def render(self, data, accepted_media_type=None, renderer_context=None):
        out = io.StringIO()
        writer = csv.writer(out)
        if not isinstance(data, dict) or "rows" not in data:  # a refusal: its fields, one a line
            writer.writerow(["error", ""])
            writer.writerows((key, value) for key, value in (data or {}).items())
        else:
            writer.writerow(["figure", "period", "value", "definition"])
            for row in data["rows"]:
                writer.writerow([row["figure"], row["period"], row["value"], row["definition"]])
        return out.getvalue().encode("utf-8")


class Figures(APIView):
    """The roadmap's figures of the heritage portal, each with its definition: organisations, sites and digitised
    objects available; visitors and reuse (IIIF manifests, info.json, OAI-PMH harvests) per month for the last 12
    months. ?format=csv for a spreadsheet."""

    renderer_classes = [JSONRenderer, FiguresCSVRenderer]

    @extend_schema(tags=["heritage"], parameters=[OpenApiParameter("format", str, enum=["json", "csv"])],
                   responses={(200, "application/json"): OpenApiTypes.OBJECT, (200, "text/csv"): OpenApiTypes.STR,
                              404: ErrorSerializer})
    def get(self, request):
        visits_roll_up()  # the days before today counted first, so the months are complete
        response = Response(portal_figures())
        if request.accepted_renderer.format == "csv":
            response["Content-Disposition"] = 'attachment; filename="heritage-figures.csv"'
        return response
