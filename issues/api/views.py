"""Read-only API of the reporting catalogue: departments, categories, routing rules."""
from rest_framework import generics

from issues.models import Department, RoutingRule
from issues.selectors import categories_grouped

from .serializers import CategorySerializer, DepartmentSerializer, RoutingRuleSerializer


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
