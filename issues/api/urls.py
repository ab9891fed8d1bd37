"""URLs of the reporting catalogue API."""
from django.urls import path

from . import actions, figures, queue, views

urlpatterns = [
    path("departments/", views.DepartmentList.as_view(), name="department-list"),
    path("categories/", views.CategoryList.as_view(), name="category-list"),
    path("categories/<slug:service_code>/", views.CategoryDetail.as_view(), name="category-detail"),
    path("routing-rules/", views.RoutingRuleList.as_view(), name="routing-rule-list"),
    path("issues/nearby", views.NearbyIssues.as_view(), name="issue-nearby"),
    path("issues/<int:issue_id>/comments", views.IssueComments.as_view(), name="issue-comments"),
    path("issues/<int:issue_id>/supports", views.IssueSupports.as_view(), name="issue-supports"),
    path("issues/<int:issue_id>", actions.IssueDetail.as_view(), name="issue-detail"),
    path("issues/<int:issue_id>/actions/<str:action>", actions.IssueAction.as_view(), name="issue-action"),
    path("departments/<slug:slug>/queue", queue.DepartmentQueue.as_view(), name="department-queue"),
    path("stats/kpis", figures.KPIs.as_view(), name="stats-kpis"),
    path("stats/districts", figures.DistrictKPIs.as_view(), name="stats-districts"),
    path("stats/hotspots", figures.Hotspots.as_view(), name="stats-hotspots"),
    path("stats/heatmap", figures.Heatmap.as_view(), name="stats-heatmap"),
]
