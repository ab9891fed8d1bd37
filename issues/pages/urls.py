"""URLs of the pages about reports."""
from django.urls import path

from . import citizen

urlpatterns = [
    path("", citizen.citizen_map, name="home"),
]
