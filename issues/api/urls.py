"""URLs of the reporting catalogue API."""
from django.urls import path

from . import views, workspace

urlpatterns = [
    path("departments/", views.DepartmentList.as_view(), name="department-list"),
    path("categories/", views.CategoryList.as_view(), name="category-list"),
    path("categories/<slug:service_code>/", views.CategoryDetail.as_view(), name="category-detail"),
    path("routing-rules/", views.RoutingRuleList.as_view(), name="routing-rule-list"),
    path("issues/nearby", views.NearbyIssues.as_view(), name="issue-nearby"),
    path("issues/<int:issue_id>/comments", views.IssueComments.as_view(), name="issue-comments"),
    path("issues/<int:issue_id>/supports", views.IssueSupports.as_view(), name="issue-supports"),
    path("issues/<int:issue_id>", workspace.IssueDetail.as_view(), name="issue-detail"),
    path("issues/<int:issue_id>/actions/<str:action>", workspace.IssueAction.as_view(), name="issue-action"),
    path("departments/<slug:slug>/queue", workspace.DepartmentQueue.as_view(), name="department-queue"),
    path("stats/kpis", workspace.KPIs.as_view(), name="stats-kpis"),
    path("stats/districts", workspace.DistrictKPIs.as_view(), name="stats-districts"),
    path("stats/hotspots", workspace.Hotspots.as_view(), name="stats-hotspots"),
    path("stats/heatmap", workspace.Heatmap.as_view(), name="stats-heatmap"),
]
