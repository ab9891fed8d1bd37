"""A department's queue as GeoJSON: filters, sorting (priority, age, distance), paging and counts per status."""
from django.contrib.gis.db.models.functions import Distance
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from django.utils.translation import gettext as _
from rest_framework.exceptions import PermissionDenied
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from core.filters import BBoxFilter, QueryFilterBackend, filterset_of
from core.params import ParameterError, optional_int, point_from_params
from issues import permissions
from issues.filters import DepartmentQueueFilter
from issues.models import Department, Issue
from issues.selectors import QUEUE_SORTS, department_queue

from .representations import issue_feature

MAX_PAGE_SIZE = 500


class DepartmentQueue(GenericAPIView):
    """A department's issues as GeoJSON, with filters, sorting, paging and counts per status."""

    permission_classes = [IsAuthenticated]
    queryset = Issue.objects.none()  # the model the filters are described from; the department's reports are read below
    filter_backends = [QueryFilterBackend, BBoxFilter]
    filterset_class = DepartmentQueueFilter
    bbox_filter_field = "location"

    @extend_schema(
        tags=["workspace"],
        filters=True,
        parameters=[
            OpenApiParameter("sort", str, enum=["priority", "-priority", "age", "-age", "distance"],
                             description="priority: most urgent first (default); age: oldest first; distance: nearest to lat/long"),
            OpenApiParameter("lat", float), OpenApiParameter("long", float),
            OpenApiParameter("page", int), OpenApiParameter("page_size", int),
        ],
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request, slug):
        department = get_object_or_404(Department, slug=slug)
        if not permissions.can_read_queue(request.user, department):
            raise PermissionDenied(f"you are not a member of {department.slug}")
        params = request.query_params
        filters = filterset_of(self, Issue.objects.filter(department=department))
        statuses = filters.form.cleaned_data["status"] or []
        in_box = BBoxFilter().filter_queryset(request, filters.qs, self)
        sort = params.get("sort", "priority")
        if sort not in QUEUE_SORTS and sort != "distance":
            raise ParameterError("sort", _("one of priority, -priority, age, -age, distance; got %(value)r") % {"value": sort[:20]})
        page = optional_int(params, "page", 1, low=1, high=1_000_000)
        page_size = optional_int(params, "page_size", 50, low=1, high=MAX_PAGE_SIZE)
        rows, counts = department_queue(issues=in_box, statuses=statuses)
        if sort == "distance":
            if not params.get("lat") or not (params.get("long") or params.get("lon")):
                raise ParameterError("lat, long", _("sort=distance needs lat and long"), code="required")
            point = point_from_params(params, lon_names=("long", "lon"))
            rows = rows.annotate(distance=Distance("location", point)).order_by("distance", "id")
        else:
            rows = rows.order_by(*QUEUE_SORTS[sort])
        # every filter but the status is in the counts per status: the sum of the chosen ones is the number matched
        matched = sum(counts[status] for status in (statuses or counts))
        show_reporter = permissions.can_act_in(request.user, department)
        page_rows = list(rows[(page - 1) * page_size: page * page_size])
        return Response({
            "type": "FeatureCollection",
            "department": department.slug,
            "numberMatched": matched,
            "numberReturned": len(page_rows),
            "page": page,
            "page_size": page_size,
            "counts": counts,
            "features": [issue_feature(i, show_reporter, sort == "distance") for i in page_rows],
        })

