"""URLs of the participation figures, under /api/participation/."""
from django.urls import path

from . import figures

urlpatterns = [
    path("figures", figures.ParticipationFigures.as_view(), name="participation-api-figures"),
    path("processes/<slug:slug>/districts", figures.ProcessDistricts.as_view(), name="participation-api-districts"),
]
