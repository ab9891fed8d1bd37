"""URLs of the heritage API, under /api/heritage/."""
from django.urls import path

from core.replica import replica_reads

from . import views

urlpatterns = [
    path("organisations/", replica_reads(views.OrganisationList.as_view()), name="heritage-organisations"),
    path("objects/", replica_reads(views.ObjectList.as_view()), name="heritage-objects"),
    path("at-risk/", views.AtRisk.as_view(), name="heritage-at-risk"),
    path("figures/", views.Figures.as_view(), name="heritage-figures"),
    path("objects/<slug:identifier>", replica_reads(views.ObjectDetail.as_view()), name="heritage-object"),
]
