"""URLs of the hazard API."""
from django.urls import path

from core.replica import replica_reads

from . import views

urlpatterns = [
    path("hazards/layers", replica_reads(views.LayerList.as_view()), name="hazard-layers"),
    path("hazards/profile", views.Profile.as_view(), name="hazard-profile"),
    path("hazards/area", views.Area.as_view(), name="hazard-area"),
    path("hazards/districts", replica_reads(views.DistrictLevels.as_view()), name="hazard-districts"),
    path("hazards/exposure", views.Exposure.as_view(), name="hazard-exposure"),
    path("hazards/scenarios", views.Scenarios.as_view(), name="hazard-scenarios"),
    path("hazards/scenarios/<int:pk>", views.ScenarioDetail.as_view(), name="hazard-scenario"),
    path("hazards/<slug:slug>/tiles/<int:z>/<int:x>/<int:y>.png", replica_reads(views.Tile.as_view()), name="hazard-tile"),
    path("hazards/<slug:slug>/legend", replica_reads(views.Legend.as_view()), name="hazard-legend"),
]
