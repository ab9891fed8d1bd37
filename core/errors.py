"""One error model for every API: `ServiceError` (status, message, the `parameter` at fault, a stable `code`,
extra fields), which every app's refusals derive from, and the shape each API answers it in. An app registers
the shape of the paths it serves (`register_error_shape`: Open311's list, the OGC API's exception);
`/api/` answers the REST shape {"detail", "code", "parameter", ...}; elsewhere Django's HTML pages. Also the
answers outside the views: a page that does not exist, a failure, a refused CSRF check."""
from typing import Callable

from django.http import HttpResponse, JsonResponse
from django.utils import translation
from django.views import csrf, defaults

API_PREFIX = "/api/"


class ServiceError(Exception):
    """A refusal the client can act on: `status` (HTTP), `message` (what to fix, in the request's language),
    `parameter` (the one field at fault, or None), `code` (a short machine string that never changes with the
    wording, e.g. `out_of_area`, `stale_version`, `not_allowed`) and `extra` fields for the answer (the allowed
    actions, the current version, a phase's dates).

    str() is the message, after "<parameter>: " when a parameter is named. Not a ValueError: a ValueError from a
    bug is a 500, never a 400."""

    status = 400
    code = "invalid"
    retry_after: int | None = None  # seconds, sent as Retry-After (with 429 and 503)

    def __init__(self, message, *, parameter: str | None = None, code: str | None = None, status: int | None = None,
                 retry_after: int | None = None, **extra):
        super().__init__(message)
        self.message = message
        self.parameter = parameter or None
        self.retry_after = retry_after
        if code is not None:
            self.code = code
        if status is not None:
            self.status = status
        self.extra = extra

    def __str__(self) -> str:
        return f"{self.parameter}: {self.message}" if self.parameter else str(self.message)

    def fields(self) -> dict:
        """What every shape adds to its own: "parameter" and "message" (the message without the parameter's name,
        for a page to show next to the field it marks) when one field is at fault, and the extra fields."""
        fields = {"parameter": self.parameter, "message": str(self.message)} if self.parameter else {}
        fields.update(self.extra)
        return fields

    def as_dict(self) -> dict:
        """The REST API's body: {"detail", "code", "parameter", "message", extra fields}."""
        return {"detail": str(self), "code": self.code, **self.fields()}


class NotFound(ServiceError):
    status, code = 404, "not_found"


class NotAllowed(ServiceError):
    status, code = 403, "not_allowed"


class Conflict(ServiceError):
    status, code = 409, "conflict"


ErrorShape = Callable[[object, ServiceError], HttpResponse]


def with_retry_after(response: HttpResponse, error: ServiceError) -> HttpResponse:
    if error.retry_after:
        response["Retry-After"] = str(error.retry_after)
    return response


def rest_error(request, error: ServiceError) -> HttpResponse:
    """The REST API's error body under /api/."""
    return with_retry_after(JsonResponse(error.as_dict(), status=error.status), error)


_SHAPES: dict[str, ErrorShape] = {API_PREFIX: rest_error}


def register_error_shape(prefix: str, shape: ErrorShape) -> None:
    """Errors under `prefix` (e.g. "/ogc/") are answered by `shape(request, error)`."""
    _SHAPES[prefix] = shape


def is_api_path(path: str) -> bool:
    return any(path.startswith(prefix) for prefix in _SHAPES)


def error_response(request, error: ServiceError) -> HttpResponse | None:
    """The error in the shape of the API the path belongs to (the longest registered prefix), or None for a
    page outside the APIs."""
    for prefix in sorted(_SHAPES, key=len, reverse=True):
        if request.path.startswith(prefix):
            return _SHAPES[prefix](request, error)
    return None


def api_error(request, status: int, message: str, code: str | None = None) -> HttpResponse | None:
    """An error made outside a service (a middleware's refusal), in the API's shape; None outside the APIs."""
    return error_response(request, ServiceError(message, status=status, code=code or STATUS_CODES.get(status, "error")))


# The code of an error known only by its status
STATUS_CODES = {400: "invalid", 401: "not_authenticated", 403: "not_allowed", 404: "not_found", 405: "method_not_allowed",
                409: "conflict", 415: "unsupported_media_type", 428: "precondition_required", 429: "throttled",
                500: "server_error", 503: "unavailable"}


def not_found(request, exception=None):
    return api_error(request, 404, translation.gettext("no such path: %(path)s; see /api/docs/") % {"path": request.path[:200]}) \
        or defaults.page_not_found(request, exception)


def server_error(request):
    return api_error(request, 500, translation.gettext("the server could not complete the request; it has been logged")) \
        or defaults.server_error(request)


def csrf_failure(request, reason=""):
    """A POST from a page without this site's CSRF token."""
    message = translation.gettext("CSRF check failed: %(reason)s; send the csrftoken cookie's value as X-CSRFToken, "
                                  "or use an API key or token") % {"reason": reason}
    return api_error(request, 403, message, code="csrf_failed") or csrf.csrf_failure(request, reason)
