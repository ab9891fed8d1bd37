"""Open-data views: each collection as a file (GeoJSON streamed from SQL; GeoPackage, CSV and zipped
Shapefile written once per data version), and the DCAT-AP catalogue in JSON-LD; cached like every layer
response, by the layers' change stamps."""
from django.http import FileResponse, JsonResponse, StreamingHttpResponse

from .. import dcat, registry
from ..downloads import FORMATS, FeatureStream, cached_file, file_name
from ..http_caching import cached, finish, not_modified, validators
from .views import OgcError, _bad, _collection, _url, all_layers_scope, layer_scope, ogc_view


@ogc_view
def download(request, collection_id, format_name):
    """/collections/{id}/download/{format}: the whole collection, public fields only, as an attachment."""
    collection = _collection(collection_id)
    chosen = FORMATS.get(format_name)
    if chosen is None:
        raise OgcError(404, "NotFound", f"no download format '{format_name[:20]}'; one of {', '.join(FORMATS)}")
    if request.GET:
        raise _bad(f"unknown parameter '{next(iter(request.GET))[:40]}'; a download takes no parameters")
    scope = layer_scope()(request, collection.id)
    early = not_modified(request, validators(request, scope))
    if early is not None:
        return early
    if chosen.name == "geojson":
        stream = FeatureStream(collection)
        response = StreamingHttpResponse(stream, content_type=chosen.media_type)
        response["Content-Disposition"] = f'attachment; filename="{file_name(collection, chosen)}"'
        return finish(response, validators(request, scope, stream.stamp))
    path, data = cached_file(collection, chosen)
    response = FileResponse(path.open("rb"), as_attachment=True, filename=file_name(collection, chosen),
                            content_type=chosen.media_type)
    return finish(response, validators(request, scope, data))


@ogc_view
@cached(all_layers_scope())
def catalogue(request):
    """The DCAT-AP catalogue of every collection with its distributions."""
    document = dcat.catalogue(registry.all_collections(), lambda name, **kwargs: _url(request, name, **kwargs))
    return JsonResponse(document, content_type="application/ld+json", json_dumps_params={"ensure_ascii": False})
