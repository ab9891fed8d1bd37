"""URLs of the reporting catalogue API."""
from django.urls import path

from core.replica import replica_reads

from . import actions, figures, queue, views

urlpatterns = [
    path("departments/", replica_reads(views.DepartmentList.as_view()), name="department-list"),
    path("categories/", replica_reads(views.CategoryList.as_view()), name="category-list"),
    path("categories/<slug:service_code>/", replica_reads(views.CategoryDetail.as_view()), name="category-detail"),
    path("routing-rules/", replica_reads(views.RoutingRuleList.as_view()), name="routing-rule-list"),
    path("issues/nearby", replica_reads(views.NearbyIssues.as_view()), name="issue-nearby"),
    path("issues/<int:issue_id>/comments", replica_reads(views.IssueComments.as_view()), name="issue-comments"),
    path("issues/<int:issue_id>/supports", views.IssueSupports.as_view(), name="issue-supports"),
    path("issues/<int:issue_id>", actions.IssueDetail.as_view(), name="issue-detail"),
    path("issues/<int:issue_id>/actions/<str:action>", actions.IssueAction.as_view(), name="issue-action"),
    path("departments/<slug:slug>/queue", replica_reads(queue.DepartmentQueue.as_view()), name="department-queue"),
    path("stats/kpis", replica_reads(figures.KPIs.as_view()), name="stats-kpis"),
    path("stats/districts", replica_reads(figures.DistrictKPIs.as_view()), name="stats-districts"),
    path("stats/hotspots", replica_reads(figures.Hotspots.as_view()), name="stats-hotspots"),
    path("stats/heatmap", replica_reads(figures.Heatmap.as_view()), name="stats-heatmap"),
]
