"""URLs of the reporting catalogue API."""
from django.urls import path

from . import views

urlpatterns = [
    path("departments/", views.DepartmentList.as_view(), name="department-list"),
    path("categories/", views.CategoryList.as_view(), name="category-list"),
    path("categories/<slug:service_code>/", views.CategoryDetail.as_view(), name="category-detail"),
    path("routing-rules/", views.RoutingRuleList.as_view(), name="routing-rule-list"),
    path("issues/nearby", views.NearbyIssues.as_view(), name="issue-nearby"),
    path("issues/<int:issue_id>/comments", views.IssueComments.as_view(), name="issue-comments"),
    path("issues/<int:issue_id>/supports", views.IssueSupports.as_view(), name="issue-supports"),
]
