"""URLs of the object and compare pages, under /heritage/."""
from django.urls import path

from . import objects

urlpatterns = [
    path("objects/<slug:identifier>/", objects.object_page, name="heritage-object-page"),
    path("compare/", objects.compare_page, name="heritage-compare-page"),
]
