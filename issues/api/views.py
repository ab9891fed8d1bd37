"""API of the reporting catalogue (departments, categories, rules) and of reports: nearby, comments, supports."""
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics
from django.utils.translation import gettext as _
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from issues.clients import Client, report_client
from issues.duplicates import possible_duplicates
from issues.models import Category, Department, Issue, IssueUpdate, RoutingRule
from issues.selectors import categories_grouped
from issues.services.lifecycle import issue_comment, issue_support
from core.api_errors import ErrorSerializer
from core.bodies import validated
from core.params import ParameterError, parse_coordinate, point_from_params

from issues.serializers import (
    CategorySerializer, CommentSerializer, DepartmentSerializer, IssueCommentInputSerializer, IssueSupportInputSerializer,
    NearbyIssueSerializer, RoutingRuleSerializer, SupportResultSerializer,
)


class DepartmentList(generics.ListAPIView):
    """Active municipal departments."""

    serializer_class = DepartmentSerializer
    pagination_class = None
    queryset = Department.objects.filter(active=True).order_by("slug")


class CategoryList(generics.ListAPIView):
    """What can be reported (the Open311 services), in group order."""

    serializer_class = CategorySerializer
    pagination_class = None

    def get_queryset(self):
        return categories_grouped()


class CategoryDetail(generics.RetrieveAPIView):
    """One category by its service_code."""

    serializer_class = CategorySerializer
    lookup_field = "service_code"

    def get_queryset(self):
        return categories_grouped()


class RoutingRuleList(generics.ListAPIView):
    """Every routing rule: category and district to department; blanks mean any."""

    serializer_class = RoutingRuleSerializer
    pagination_class = None
    queryset = RoutingRule.objects.select_related("category", "district", "department")


CITIZEN_WRITE_ERRORS = {
    403: OpenApiResponse(ErrorSerializer, "api_key wrong or revoked, or no key and no CSRF token"),
    429: OpenApiResponse(ErrorSerializer, "too many writes: wait for the seconds in Retry-After"),
}


class ClientCheckMixin:
    """Writes from citizens: an Open311 API key, or this site's form with its CSRF token."""

    def client(self, request) -> Client:
        raw_key = str(request.data.get("api_key", "") or request.headers.get("X-Api-Key", ""))
        return report_client(request._request, raw_key)


def _issue_or_404(issue_id: int) -> Issue:
    issue = Issue.objects.filter(pk=issue_id).first()
    if issue is None:
        raise NotFound(f"no issue {issue_id}")
    return issue


class NearbyIssues(APIView):
    """Possible duplicates: open reports of a category near a point, nearest first. Never blocks a report."""

    @extend_schema(
        parameters=[
            OpenApiParameter("service_code", str, required=True),
            OpenApiParameter("lat", float, required=True), OpenApiParameter("long", float, required=True),
            OpenApiParameter("radius", float, description="metres (default: the category's, 50 m in the demo)"),
            OpenApiParameter("days", int, description="how far back (default: the category's, 30 days)"),
        ],
        responses={200: NearbyIssueSerializer(many=True), 400: ErrorSerializer},
    )
    def get(self, request):
        params = request.query_params
        code = params.get("service_code", "")
        category = Category.objects.filter(service_code=code, active=True).first()
        if category is None:
            if not code:
                raise ParameterError("service_code", _("is required"), code="required")
            raise ParameterError("service_code", _("no service '%(code)s'") % {"code": code[:64]}, code="unknown_service")
        point = point_from_params(params, lon_names=("long", "lon"))
        radius = parse_coordinate(params["radius"], parameter="radius", low=1, high=5000) if "radius" in params else None
        days = int(parse_coordinate(params["days"], parameter="days", low=1, high=365)) if "days" in params else None
        found = possible_duplicates(category=category, point=point, radius_m=radius, days=days)
        return Response(NearbyIssueSerializer(found, many=True).data)


class IssueComments(ClientCheckMixin, APIView):
    """Public comments on an issue: read them, or add one."""

    @extend_schema(responses={200: CommentSerializer(many=True)})
    def get(self, request, issue_id):
        issue = _issue_or_404(issue_id)
        comments = issue.updates.filter(kind=IssueUpdate.Kind.COMMENT, public=True).order_by("id")
        return Response(CommentSerializer(comments, many=True).data)

    @extend_schema(request=IssueCommentInputSerializer, responses={201: CommentSerializer, 400: ErrorSerializer, **CITIZEN_WRITE_ERRORS})
    def post(self, request, issue_id):
        issue = _issue_or_404(issue_id)
        client = self.client(request)
        data = validated(IssueCommentInputSerializer(data=request.data))
        comment = issue_comment(
            issue=issue, text=data["text"], author_name=data["author_name"],
            user=client.user, actor=client.actor,
        )
        return Response(CommentSerializer(comment).data, status=201)


class IssueSupports(ClientCheckMixin, APIView):
    """A "me too" on an issue, once per account or device."""

    @extend_schema(request=IssueSupportInputSerializer, responses={201: SupportResultSerializer, 400: ErrorSerializer,
                              409: OpenApiResponse(ErrorSerializer, "code already_supported"), **CITIZEN_WRITE_ERRORS})
    def post(self, request, issue_id):
        issue = _issue_or_404(issue_id)
        client = self.client(request)
        data = validated(IssueSupportInputSerializer(data=request.data))
        issue_support(issue=issue, user=client.user, device_id=data["device_id"])
        return Response({"service_request_id": str(issue.pk), "supports": issue.supports.count()}, status=201)
