"""Error answers outside the views: a page that does not exist, a failure, a refused CSRF check, a request
with control characters, a database that does not answer. Each API answers in its own error shape: an app
registers the shape of the paths it serves (`register_error_shape`), `/api/` answers DRF's {"detail": ...};
elsewhere Django's HTML pages."""
from typing import Callable

from django.http import HttpResponse, JsonResponse
from django.views import csrf, defaults

ErrorShape = Callable[[object, int, str], HttpResponse]

API_PREFIX = "/api/"


def detail_error(request, status: int, message: str) -> HttpResponse:
    """DRF's error body, the shape of every REST API under /api/."""
    return JsonResponse({"detail": message}, status=status)


_SHAPES: dict[str, ErrorShape] = {API_PREFIX: detail_error}


def register_error_shape(prefix: str, shape: ErrorShape) -> None:
    """Errors under `prefix` (e.g. "/ogc/") are answered by `shape(request, status, message)`."""
    _SHAPES[prefix] = shape


def api_error(request, status: int, message: str) -> HttpResponse | None:
    """The error in the shape of the API the path belongs to (the longest registered prefix), or None for a
    page outside the APIs."""
    for prefix in sorted(_SHAPES, key=len, reverse=True):
        if request.path.startswith(prefix):
            return _SHAPES[prefix](request, status, message)
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
