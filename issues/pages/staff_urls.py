"""URLs of the staff pages, under /staff/."""
from django.urls import path

from . import figures, staff

urlpatterns = [
    path("", staff.workspace, name="staff-home"),
    path("queue/<slug:slug>/", staff.department_queue, name="staff-queue"),
    path("figures/", figures.dashboard, name="figures"),
    path("figures/map", figures.figures_map, name="figures-map"),
]
