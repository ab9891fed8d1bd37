"""URLs of the pages about reports."""
from django.urls import path

from . import citizen

urlpatterns = [
    path("", citizen.citizen_map, name="home"),
    path("report/", citizen.report_without_map, name="report"),
    path("issues/<int:issue_id>/", citizen.issue_page, name="issue-page"),
]
