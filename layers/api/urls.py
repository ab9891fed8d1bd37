"""URLs of the reference geography API."""
from django.urls import path

from core.replica import replica_reads

from . import views

urlpatterns = [
    path("districts/", replica_reads(views.DistrictList.as_view()), name="district-list"),
    path("districts/<str:code>/", replica_reads(views.DistrictDetail.as_view()), name="district-detail"),
    path("municipalities/", replica_reads(views.MunicipalityList.as_view()), name="municipality-list"),
    path("locate/", replica_reads(views.Locate.as_view()), name="locate"),
    path("places/", replica_reads(views.PlaceList.as_view()), name="place-list"),
]
