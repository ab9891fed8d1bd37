"""Read-only API of the heritage records: organisations, and cultural objects (a withdrawn one answers 410)."""
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from core.params import ParameterError

from .. import selectors
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
