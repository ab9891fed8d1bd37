"""URLs of the planners' pages, under /planner/."""
from django.urls import path

from . import planner, report

urlpatterns = [
    path("", planner.planner_map, name="planner-map"),
    path("districts/<str:code>/report", report.district_report_page, name="district-report"),
]
