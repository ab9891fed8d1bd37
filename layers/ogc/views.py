"""OGC API views shared by Features and Tiles: the `ogc_view` wrapper, links, the collection lookup, the landing page.

Also conformance, the API definition and the catch-all 404. Collections and items are in features_views.py, tiles and tile matrix sets in tiles_views.py, the parameters in
params.py, the refusals in errors.py; every response is cached by its layer's change stamp (scopes.py,
layers/http_caching.py)."""
from django.http import JsonResponse
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.utils.translation import gettext as _

from core.errors import ServiceError
from core.replica import replica_reads

from .. import registry
from ..http_caching import cached
from . import tilesets as tilesets_module
from .errors import OgcError, ogc_error_shape
from .openapi import OGC_PREFIX, ogc_openapi
from .params import parse_language
from .scopes import static_scope
from .tilesets import REL_TILING_SCHEMES

CONFORMANCE = [
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/features-filter",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables-query-parameters",
    "http://www.opengis.net/spec/cql2/1.0/conf/basic-cql2",
    "http://www.opengis.net/spec/cql2/1.0/conf/cql2-text",
    "http://www.opengis.net/spec/cql2/1.0/conf/cql2-json",
    "http://www.opengis.net/spec/cql2/1.0/conf/advanced-comparison-operators",
    "http://www.opengis.net/spec/cql2/1.0/conf/case-insensitive-comparison",
    "http://www.opengis.net/spec/cql2/1.0/conf/accent-insensitive-comparison",
    "http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions",
    "http://www.opengis.net/spec/cql2/1.0/conf/spatial-functions",
    *tilesets_module.CONFORMANCE,
]


def ogc_view(function):
    """GET and HEAD only; OGC errors as JSON {code, description}, never an HTML page. Read-only, so no CSRF check,
    and read from the replica when there is one (core/replica.py)."""
    read = replica_reads(function)

    @csrf_exempt
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            response = ogc_error_shape(request, OgcError(405, "MethodNotAllowed",
                                                         _("method %(method)s is not allowed; the OGC API is read-only")
                                                         % {"method": request.method[:10]}))
            response["Allow"] = "GET, HEAD"
            return response
        try:
            return read(request, *args, **kwargs)
        except ServiceError as exc:
            return ogc_error_shape(request, exc)
    wrapper.__name__ = function.__name__
    wrapper.__doc__ = function.__doc__
    return wrapper


def absolute_url(request, name, **kwargs) -> str:
    """The absolute URL of the named OGC API route."""
    return request.build_absolute_uri(reverse(name, kwargs=kwargs))


def url_maker(request):
    """absolute_url bound to the request, for the modules that build links (tilesets, dcat)."""
    return lambda name, **kwargs: absolute_url(request, name, **kwargs)


def get_collection(collection_id: str) -> registry.Collection:
    """The collection, or an OGC 404 pointing to the list."""
    collection = registry.get(collection_id)
    if collection is None:
        raise OgcError(404, "NotFound", _("no collection '%(id)s'; see /ogc/collections") % {"id": collection_id[:64]})
    return collection


TITLE = {"en": "Thessaloniki GIS portal – OGC API Features", "el": "Γεωπύλη Δήμου Θεσσαλονίκης – OGC API Features"}
DESCRIPTION = {
    "en": "Districts, heritage sites, service points, hazard zones and public issue reports of the Municipality of Thessaloniki.",
    "el": "Δημοτικές κοινότητες, μνημεία, σημεία εξυπηρέτησης, ζώνες κινδύνου και αιτήματα πολιτών του Δήμου Θεσσαλονίκης.",
}


@ogc_view
@cached(static_scope(by_language=True))
def landing(request):
    """Links to the API definition, the conformance classes, the collections and the open-data catalogue."""
    language = parse_language(request)
    return JsonResponse({
        "title": TITLE[language],
        "description": DESCRIPTION[language],
        "links": [
            {"href": absolute_url(request, "ogc-landing"), "rel": "self", "type": "application/json", "title": "this document"},
            {"href": absolute_url(request, "ogc-openapi"), "rel": "service-desc", "type": "application/vnd.oai.openapi+json;version=3.0",
             "title": "the API definition"},
            {"href": request.build_absolute_uri("/api/docs/"), "rel": "service-doc", "type": "text/html", "title": "API documentation"},
            {"href": absolute_url(request, "ogc-conformance"), "rel": "conformance", "type": "application/json", "title": "conformance classes"},
            {"href": absolute_url(request, "ogc-collections"), "rel": "data", "type": "application/json", "title": "collections"},
            {"href": absolute_url(request, "ogc-catalogue"), "rel": "describedby", "type": "application/ld+json",
             "title": "DCAT-AP catalogue of the datasets and their downloads"},
            {"href": absolute_url(request, "ogc-tilematrixsets"), "rel": REL_TILING_SCHEMES, "type": "application/json",
             "title": "tile matrix sets"},
        ],
    })


@ogc_view
@cached(static_scope())
def conformance(request):
    return JsonResponse({"conformsTo": CONFORMANCE})


@ogc_view
@cached(static_scope())
def openapi(request):
    response = JsonResponse(ogc_openapi(registry.all_collections(), server_url=request.build_absolute_uri(OGC_PREFIX)))
    response["Content-Type"] = "application/vnd.oai.openapi+json;version=3.0"
    return response


@csrf_exempt
def not_found(request, *args, **kwargs):
    """Any other path under /ogc/: an OGC 404, not the site's HTML page."""
    return ogc_error_shape(request, OgcError(404, "NotFound", _("no such OGC API resource: %(path)s") % {"path": request.path[:100]}))
