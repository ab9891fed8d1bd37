"""URLs of the IIIF APIs, under /iiif/."""
from django.urls import path, re_path

from . import views

_SEGMENT = r"[^/]+"

urlpatterns = [
    path("3/<slug:identifier>", views.image_base, name="iiif-image-base"),
    path("3/<slug:identifier>/info.json", views.image_info, name="iiif-image-info"),
    re_path(rf"^3/(?P<identifier>[-a-zA-Z0-9_]+)/(?P<region>{_SEGMENT})/(?P<size>{_SEGMENT})/(?P<rotation>{_SEGMENT})/"
            rf"(?P<quality>[^/.]+)\.(?P<format>[^/.]+)$", views.image, name="iiif-image"),
]
