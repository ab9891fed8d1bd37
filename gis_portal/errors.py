"""Error answers outside the views: a page that does not exist, a failure, a refused CSRF check, a request
with control characters. Under /api/, /ogc/ and /open311/ they are JSON in each API's own error shape;
elsewhere Django's HTML pages."""
from django.http import HttpResponse, JsonResponse
from django.views import csrf, defaults

from issues.open311.errors import Open311Error, error_response

API_PREFIX = "/api/"


OGC_CODES = {400: "InvalidParameterValue", 403: "Forbidden", 404: "NotFound", 503: "ServiceUnavailable"}


def api_error(request, status: int, message: str) -> HttpResponse | None:
    """The error in the shape of the API the path belongs to (Open311 in XML for a .xml path), or None for a
    page outside the APIs."""
    if request.path.startswith("/open311/"):
        return error_response(Open311Error(status, message), "xml" if request.path.endswith(".xml") else "json")
    if request.path.startswith("/ogc/"):
        code = OGC_CODES.get(status, "ServerError")
        return JsonResponse({"code": code, "description": message}, status=status)
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"detail": message}, status=status)
    return None


def not_found(request, exception=None):
    return api_error(request, 404, f"no such path: {request.path[:200]}; see /api/docs/") \
        or defaults.page_not_found(request, exception)


def server_error(request):
    return api_error(request, 500, "the server could not complete the request; it has been logged") \
        or defaults.server_error(request)


def csrf_failure(request, reason=""):
    """A POST from a page without this site's CSRF token."""
    message = (f"CSRF check failed: {reason}; send the csrftoken cookie's value as X-CSRFToken, "
               "or use an API key or token")
    return api_error(request, 403, message) or csrf.csrf_failure(request, reason)
