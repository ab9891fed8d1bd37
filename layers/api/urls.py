"""URLs of the reference geography API."""
from django.urls import path

from . import views

urlpatterns = [
    path("districts/", views.DistrictList.as_view(), name="district-list"),
    path("districts/<str:code>/", views.DistrictDetail.as_view(), name="district-detail"),
    path("municipalities/", views.MunicipalityList.as_view(), name="municipality-list"),
    path("locate/", views.Locate.as_view(), name="locate"),
    path("places/", views.PlaceList.as_view(), name="place-list"),
]
