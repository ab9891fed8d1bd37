"""The figures API: the roadmap's KPIs (JSON or CSV), per district, hotspots and the heat-map grid."""
import csv
import io

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from core.params import optional_int, parse_coordinate
from issues import stats
from issues.figures_scope import hotspot_scope, stats_scope


class CSVRenderer(BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        out = io.StringIO()
        writer = csv.writer(out)
        if isinstance(data, dict) and "detail" in data:
            writer.writerow(["error", data["detail"]])
            return out.getvalue().encode("utf-8")
        writer.writerow(["metric", "value"])
        for key, value in data.items():
            if key == "backlog_by_age":
                for bucket, n in value.items():
                    writer.writerow([f"backlog_{bucket}", n])
            elif key == "per_month":
                for month in value:
                    writer.writerow([f"posted_{month['month']}", month["posted"]])
                    writer.writerow([f"solved_{month['month']}", month["solved"]])
            else:
                writer.writerow([key, "" if value is None else value])
        return out.getvalue().encode("utf-8")



STATS_PARAMETERS = [
    OpenApiParameter("from", OpenApiTypes.DATETIME, description="default: a year before to"),
    OpenApiParameter("to", OpenApiTypes.DATETIME, description="default: now"),
    OpenApiParameter("department", str), OpenApiParameter("district", str), OpenApiParameter("category", str),
]


class KPIs(APIView):
    """The roadmap's figures; ?format=csv for a spreadsheet."""

    permission_classes = [IsAuthenticated]
    renderer_classes = [JSONRenderer, CSVRenderer]

    @extend_schema(tags=["stats"], parameters=STATS_PARAMETERS, responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        response = Response(stats.kpis(stats_scope(request.user, request.query_params)))
        if request.accepted_renderer.format == "csv":
            response["Content-Disposition"] = 'attachment; filename="kpis.csv"'
        return response


class DistrictKPIs(APIView):
    """Per-district figures as GeoJSON, ready for a choropleth."""

    permission_classes = [IsAuthenticated]

    @extend_schema(tags=["stats"], parameters=STATS_PARAMETERS, responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        return Response(stats.kpis_by_district(stats_scope(request.user, request.query_params)))


class Hotspots(APIView):
    """Clusters of open issues (ST_ClusterDBSCAN, eps in metres) as GeoJSON hulls."""

    permission_classes = [IsAuthenticated]

    @extend_schema(tags=["stats"], parameters=[
        OpenApiParameter("eps_m", float, description="neighbour distance in metres (default 100, 1 to 5000)"),
        OpenApiParameter("min_size", int, description="reports in a cluster at least (default 3)"),
        OpenApiParameter("department", str), OpenApiParameter("category", str)], responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        params = request.query_params
        scope = hotspot_scope(request.user, request.query_params)
        eps = parse_coordinate(params.get("eps_m", "100"), parameter="eps_m", low=1, high=5000)
        min_size = optional_int(params, "min_size", 3, low=1, high=10000)
        return Response(stats.hotspots(eps_m=eps, min_size=min_size, **scope))


class Heatmap(APIView):
    """Open issues counted on a square grid (metres), as GeoJSON cells."""

    permission_classes = [IsAuthenticated]

    @extend_schema(tags=["stats"], parameters=[
        OpenApiParameter("cell_m", float, description="cell size in metres (default 250, 25 to 5000)"),
        OpenApiParameter("department", str), OpenApiParameter("category", str)], responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        scope = hotspot_scope(request.user, request.query_params)
        cell = parse_coordinate(request.query_params.get("cell_m", "250"), parameter="cell_m", low=25, high=5000)
        return Response(stats.heatmap(cell_m=cell, **scope))

