"""URLs of the OGC API – Features and – Tiles."""
from django.urls import path, re_path

from . import opendata, views

urlpatterns = [
    path("", views.landing, name="ogc-landing"),
    path("conformance", views.conformance, name="ogc-conformance"),
    path("api", views.openapi, name="ogc-openapi"),
    path("catalogue.jsonld", opendata.catalogue, name="ogc-catalogue"),
    path("collections", views.collections, name="ogc-collections"),
    path("collections/<str:collection_id>", views.collection, name="ogc-collection"),
    path("collections/<str:collection_id>/items", views.items, name="ogc-items"),
    path("collections/<str:collection_id>/items/<str:feature_id>", views.item, name="ogc-item"),
    path("collections/<str:collection_id>/queryables", views.queryables, name="ogc-queryables"),
    path("collections/<str:collection_id>/tiles/WebMercatorQuad/<int:z>/<int:y>/<int:x>", views.vector_tile, name="ogc-tile"),
    path("collections/<str:collection_id>/tiles/WebMercatorQuad/tilejson.json", views.tilejson, name="ogc-tilejson"),
    path("collections/<str:collection_id>/tiles", views.tilesets, name="ogc-tilesets"),
    path("collections/<str:collection_id>/tiles/<str:tms_id>", views.tileset, name="ogc-tileset"),
    path("tileMatrixSets", views.tile_matrix_sets, name="ogc-tilematrixsets"),
    path("tileMatrixSets/<str:tms_id>", views.tile_matrix_set, name="ogc-tilematrixset"),
    path("collections/<str:collection_id>/download/<str:format_name>", opendata.download, name="ogc-download"),
    re_path(r"^[\s\S]*$", views.not_found),
]
