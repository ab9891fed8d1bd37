"""URLs of the IIIF APIs, under /iiif/."""
from django.urls import path, re_path

from core.replica import replica_reads

from . import views

_SEGMENT = r"[^/]+"

urlpatterns = [
    path("3/<slug:identifier>", views.image_base, name="iiif-image-base"),
    path("3/<slug:identifier>/info.json", views.image_info, name="iiif-image-info"),
    re_path(rf"^3/(?P<identifier>[-a-zA-Z0-9_]+)/(?P<region>{_SEGMENT})/(?P<size>{_SEGMENT})/(?P<rotation>{_SEGMENT})/"
            rf"(?P<quality>[^/.]+)\.(?P<format>[^/.]+)$", views.image, name="iiif-image"),
    path("presentation/collections/sites", replica_reads(views.collections), {"kind": "sites"},
         name="iiif-collection-sites"),
    path("presentation/collections/sites/<slug:slug>", replica_reads(views.site_collection), name="iiif-collection-site"),
    path("presentation/collections/organisations", replica_reads(views.collections), {"kind": "organisations"},
         name="iiif-collection-organisations"),
    path("presentation/collections/organisations/<slug:slug>", replica_reads(views.organisation_collection),
         name="iiif-collection-organisation"),
    path("presentation/<slug:identifier>/manifest", replica_reads(views.manifest), name="iiif-manifest"),
]
