"""URLs of the OGC API – Features and – Tiles."""
from django.urls import path, re_path

from . import features_views, opendata, tiles_views, views

urlpatterns = [
    path("", views.landing, name="ogc-landing"),
    path("conformance", views.conformance, name="ogc-conformance"),
    path("api", views.openapi, name="ogc-openapi"),
    path("catalogue.jsonld", opendata.catalogue, name="ogc-catalogue"),
    path("collections", features_views.collections, name="ogc-collections"),
    path("collections/<str:collection_id>", features_views.collection, name="ogc-collection"),
    path("collections/<str:collection_id>/items", features_views.items, name="ogc-items"),
    path("collections/<str:collection_id>/items/<str:feature_id>", features_views.item, name="ogc-item"),
    path("collections/<str:collection_id>/queryables", features_views.queryables, name="ogc-queryables"),
    path("collections/<str:collection_id>/tiles/WebMercatorQuad/<int:z>/<int:y>/<int:x>", tiles_views.vector_tile, name="ogc-tile"),
    path("collections/<str:collection_id>/tiles/WebMercatorQuad/tilejson.json", tiles_views.tilejson, name="ogc-tilejson"),
    path("collections/<str:collection_id>/tiles", tiles_views.tilesets, name="ogc-tilesets"),
    path("collections/<str:collection_id>/tiles/<str:tms_id>", tiles_views.tileset, name="ogc-tileset"),
    path("tileMatrixSets", tiles_views.tile_matrix_sets, name="ogc-tilematrixsets"),
    path("tileMatrixSets/<str:tms_id>", tiles_views.tile_matrix_set, name="ogc-tilematrixset"),
    path("collections/<str:collection_id>/download/<str:format_name>", opendata.download, name="ogc-download"),
    re_path(r"^[\s\S]*$", views.not_found),
]
