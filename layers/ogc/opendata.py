"""Open-data views: each collection as a file (GeoJSON streamed from SQL; GeoPackage, CSV and zipped
Shapefile written once per data version by a background job, never inside a request), and the DCAT-AP catalogue in JSON-LD; cached like every layer
response, by the layers' change stamps."""
from django.conf import settings
from django.http import FileResponse, HttpResponse, JsonResponse, StreamingHttpResponse
from django.utils.http import content_disposition_header

from .. import dcat, registry
from ..downloads import FORMATS, FeatureStream, accel_redirect_uri, file_name, finished_file
from ..http_caching import cached, finish, not_modified, validators
from ..tasks import download_prepare
from .errors import OgcError, bad, ogc_error_shape
from .scopes import all_layers_scope, layer_scope
from .views import get_collection, ogc_view, url_maker


@ogc_view
def download(request, collection_id, format_name):
    """/collections/{id}/download/{format}: the whole collection, public fields only, as an attachment."""
    collection = get_collection(collection_id)
    chosen = FORMATS.get(format_name)
    if chosen is None:
        raise OgcError(404, "NotFound", f"no download format '{format_name[:20]}'; one of {', '.join(FORMATS)}")
    if request.GET:
        raise bad(f"unknown parameter '{next(iter(request.GET))[:40]}'; a download takes no parameters")
    scope = layer_scope()(request, collection.id)
    early = not_modified(request, validators(request, scope))
    if early is not None:
        return early
    if chosen.name == "geojson":
        stream = FeatureStream(collection)
        response = StreamingHttpResponse(stream, content_type=chosen.media_type)
        response["Content-Disposition"] = f'attachment; filename="{file_name(collection, chosen)}"'
        return finish(response, validators(request, scope, stream.stamp))
    found, data = finished_file(collection, chosen)
    if found is not None and found.current:
        return finish(_file_response(found, collection, chosen), validators(request, scope, data))
    download_prepare(collection_id=collection.id, format_name=chosen.name,
                     last_written=found.written_at if found is not None else None,
                     last_write_seconds=found.write_seconds if found is not None else 0.0)
    wait = settings.DOWNLOAD_RETRY_AFTER
    if found is None:
        error = OgcError(503, "ServiceUnavailable", f"the {chosen.title} file of '{collection.id}' is being written for "
                         f"its current data; retry in {wait} seconds (GeoJSON is streamed at once: download/geojson)")
        response = ogc_error_shape(request, error)
        response["Retry-After"] = str(wait)
        response["Cache-Control"] = "no-store"
        return response
    # the newest finished file, with its own validators, while the current one is being written
    older = validators(request, scope, found.stamp)
    early = not_modified(request, older)
    if early is not None:
        found.handle.close()
        return _preparing(early, wait)
    return _preparing(finish(_file_response(found, collection, chosen), older), wait)


def _file_response(found, collection, chosen):
    """The file itself (FileResponse), or, behind nginx (DOWNLOADS_ACCEL_REDIRECT_PREFIX set), an empty answer
    whose X-Accel-Redirect names the file inside LAYER_DOWNLOAD_DIR: nginx sends the bytes (and answers Range
    requests) from its internal location, with the headers decided here."""
    name = file_name(collection, chosen)
    prefix = settings.DOWNLOADS_ACCEL_REDIRECT_PREFIX
    if not prefix:
        return FileResponse(found.handle, as_attachment=True, filename=name, content_type=chosen.media_type)
    try:
        uri = accel_redirect_uri(found, prefix)
    finally:
        found.handle.close()
    response = HttpResponse(b"", content_type=chosen.media_type)
    response["Content-Disposition"] = content_disposition_header(True, name)
    response["X-Accel-Redirect"] = uri
    return response


def _preparing(response, wait: int):
    """Marks an older file: a newer one is being written; caches keep this one only briefly."""
    response["X-Newer-Version"] = f"preparing; retry-after={wait}"
    response["Cache-Control"] = f"public, max-age={wait}, s-maxage={wait}"
    return response


@ogc_view
@cached(all_layers_scope())
def catalogue(request):
    """The DCAT-AP catalogue of every collection with its distributions."""
    document = dcat.catalogue(registry.all_collections(), url_maker(request))
    return JsonResponse(document, content_type="application/ld+json", json_dumps_params={"ensure_ascii": False})
