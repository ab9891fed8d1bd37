"""Read-only API of the reference geography: districts, municipalities, and which district covers a point."""
from django.conf import settings
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api_errors import ErrorSerializer
from core.params import parse_bbox, parse_int, point_from_params
from layers.models import District, Municipality
from layers.selectors import district_for_point, places_in_box, places_matching

from .serializers import (
    DistrictFeatureSerializer,
    LocateResultSerializer,
    MunicipalityFeatureSerializer,
    PlaceFeatureSerializer,
)


class DistrictList(generics.ListAPIView):
    """The districts of the served municipality, as a GeoJSON FeatureCollection."""

    serializer_class = DistrictFeatureSerializer
    pagination_class = None
    queryset = District.objects.select_related("municipality").order_by("code")


class DistrictDetail(generics.RetrieveAPIView):
    """One district by its code, as a GeoJSON Feature."""

    serializer_class = DistrictFeatureSerializer
    lookup_field = "code"
    queryset = District.objects.select_related("municipality")


class MunicipalityList(generics.ListAPIView):
    """The served municipality and any imported neighbours, as a GeoJSON FeatureCollection."""

    serializer_class = MunicipalityFeatureSerializer
    pagination_class = None
    queryset = Municipality.objects.order_by("code")


def _area_ref(area):
    return None if area is None else {"code": area.code, "name_el": area.name_el, "name_en": area.name_en}


class Locate(APIView):
    """Which district of the served municipality covers a point (or which neighbour, outside it)."""

    @extend_schema(
        parameters=[
            OpenApiParameter("lat", OpenApiTypes.DOUBLE, required=True, description="latitude, WGS84"),
            OpenApiParameter("lon", OpenApiTypes.DOUBLE, required=True, description="longitude, WGS84 (also accepted as `long`)"),
        ],
        responses={200: LocateResultSerializer, 400: ErrorSerializer},
    )
    def get(self, request):
        point = point_from_params(request.query_params)
        place = district_for_point(point)
        if place.district is not None:
            message = f"in {place.district.name_en or place.district.name_el}"
        elif place.municipality is not None and not place.in_home_municipality:
            message = f"outside the {settings.HOME_MUNICIPALITY_NAME_EN}, in {place.municipality.name} ({place.municipality.code})"
        elif place.municipality is not None:
            message = f"in the {settings.HOME_MUNICIPALITY_NAME_EN} but in no district"
        else:
            message = f"outside the {settings.HOME_MUNICIPALITY_NAME_EN}"
        result = {
            "lon": point.x,
            "lat": point.y,
            "inside": place.in_home_municipality,
            "district": _area_ref(place.district),
            "municipality": _area_ref(place.municipality),
            "message": message,
        }
        return Response(LocateResultSerializer(result).data)


class PlaceList(APIView):
    """Gazetteer places (streets, squares, landmarks, heritage) as GeoJSON points: those whose names match
    `q` best first (address and landmark search), or those in `bbox` (the offline basemap's labels)."""

    @extend_schema(
        parameters=[
            OpenApiParameter("q", str, description="words of a name, in Greek or Latin script, accents optional"),
            OpenApiParameter("bbox", str, description="min_long,min_lat,max_long,max_lat (WGS84), when there is no q"),
            OpenApiParameter("limit", int, description="at most this many places: 1 to 20 with q (default 8), to 2000 otherwise (default 500)"),
        ],
        responses={200: PlaceFeatureSerializer(many=True), 400: ErrorSerializer},
    )
    def get(self, request):
        params = request.query_params
        text = params.get("q", "").strip()
        if text:
            limit = parse_int(params.get("limit", 8), parameter="limit", low=1, high=20)
            places = [match.place for match in places_matching(text, limit=limit, strict=False, min_score=0.15)]
        else:
            limit = parse_int(params.get("limit", 500), parameter="limit", low=1, high=2000)
            box = parse_bbox(params["bbox"]) if params.get("bbox") else None
            places = places_in_box(box, limit=limit)
        return Response(PlaceFeatureSerializer(places, many=True).data)
