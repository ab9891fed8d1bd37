"""The IIIF endpoints: Image API 3.0 (info.json and the pyramid's files) and Presentation API 3.0 (manifests and
collections; a withdrawn object's manifest is 410). Every answer, errors included, carries
`Access-Control-Allow-Origin: *` so that any viewer can load it; errors are the REST shape {"detail", "code",
"parameter"}."""
import functools
import json

from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.views.decorators.http import require_safe
from django.views.static import serve

from core.errors import NotFound, ServiceError, error_response

from .. import selectors
from . import image_api, presentation, pyramids

IMAGE_MEDIA_TYPE = 'application/ld+json;profile="http://iiif.io/api/image/3/context.json"'
CACHE_CONTROL = "public, max-age=86400"


def with_cors(response: HttpResponse) -> HttpResponse:
    response["Access-Control-Allow-Origin"] = "*"
    return response


def iiif_error(request, error: ServiceError) -> HttpResponse:
    """A refusal under /iiif/: the REST error body, open to every origin."""
    return with_cors(JsonResponse(error.as_dict(), status=error.status))


def iiif_view(function):
    @functools.wraps(function)
    def view(request, *args, **kwargs):
        try:
            response = function(request, *args, **kwargs)
        except ServiceError as error:
            return error_response(request, error)
        return with_cors(response)
    return require_safe(view)


@iiif_view
def image_base(request, identifier: str):
    """The image's base URI sends to its info.json (Image API 3.0, 2.2)."""
    image_api.pyramid_info(identifier)
    response = HttpResponseRedirect(reverse("iiif-image-info", kwargs={"identifier": identifier}))
    response.status_code = 303
    return response


@iiif_view
def image_info(request, identifier: str):
    info = {"id": request.build_absolute_uri(reverse("iiif-image-base", kwargs={"identifier": identifier})),
            **image_api.pyramid_info(identifier)}
    info = {"@context": info.pop("@context"), **info}
    response = HttpResponse(json.dumps(info), content_type=IMAGE_MEDIA_TYPE if "ld+json" in request.headers.get(
        "Accept", "") else "application/json")
    response["Cache-Control"] = "public, max-age=3600"
    response["Vary"] = "Accept"
    return response


@iiif_view
def image(request, identifier: str, region: str, size: str, rotation: str, quality: str, format: str):
    path = image_api.canonical_file(image_api.ImageRequest(identifier, region, size, rotation, quality, format))
    root = pyramids.pyramid_root()
    response = serve(request, str(path.relative_to(root)), document_root=str(root))
    response["Cache-Control"] = CACHE_CONTROL
    return response


def _presentation(document: dict) -> HttpResponse:
    response = HttpResponse(json.dumps(document, ensure_ascii=False), content_type=presentation.MEDIA_TYPE)
    response["Cache-Control"] = "public, max-age=300"
    return response


@iiif_view
def manifest(request, identifier: str):
    obj = selectors.object_for_manifest(identifier)
    if obj is None:
        raise NotFound(f"no cultural object {identifier[:80]!r}", parameter="identifier")
    if obj.deleted is not None:
        raise ServiceError(f"the object {identifier!r} was withdrawn", parameter="identifier", status=410, code="gone")
    document = presentation.manifest(obj, presentation.Url(request.build_absolute_uri))
    if not document["items"]:
        raise NotFound(f"the object {identifier!r} has no image to show", parameter="identifier", code="no_images")
    return _presentation(document)


@iiif_view
def site_collection(request, slug: str):
    monument = selectors.monuments_with_geojson().filter(site__slug=slug).first()
    if monument is None:
        raise NotFound(f"no monument at the heritage site {slug[:80]!r}", parameter="slug")
    objects = selectors.public_objects(site=slug)
    return _presentation(presentation.site_collection(monument, objects, presentation.Url(request.build_absolute_uri)))


@iiif_view
def organisation_collection(request, slug: str):
    organisation = selectors.organisations().filter(slug=slug).first()
    if organisation is None:
        raise NotFound(f"no organisation {slug[:80]!r}", parameter="slug")
    objects = selectors.public_objects(organisation=slug)
    return _presentation(presentation.organisation_collection(organisation, objects,
                                                              presentation.Url(request.build_absolute_uri)))


@iiif_view
def collections(request, kind: str):
    """The Collection of the sites' collections (kind "sites") or of the organisations' ("organisations")."""
    if kind == "sites":
        entries = [(m.site.slug, m.site.name_el, m.site.name_en) for m in selectors.monuments_with_geojson()]
    else:
        entries = [(o.slug, o.name_el, o.name_en) for o in selectors.organisations()]
    return _presentation(presentation.collections_of(kind, entries, presentation.Url(request.build_absolute_uri)))
