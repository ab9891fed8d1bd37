"""URLs of the heritage pages, under /heritage/."""
from django.urls import path, re_path

from . import portal, tours

urlpatterns = [
    path("", portal.home, name="heritage-page-home"),
    path("monuments/<int:monument_id>/", portal.monument_page, name="heritage-page-monument"),
    path("tours/<slug:slug>/", tours.tour_page, name="heritage-page-tour"),
    re_path(r"^routes/(?P<slug>[-a-zA-Z0-9_]+)\.gpx$", tours.route_gpx_file, name="heritage-route-gpx"),
    path("routes/<slug:slug>/", tours.route_page, name="heritage-page-route"),
    path("objects/<slug:identifier>/3d/", tours.model_page, name="heritage-page-model"),
]
