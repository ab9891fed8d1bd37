"""Open311 errors: the spec's list of {code, description} in the request's format, `code` being the HTTP status as
the spec has it; every core.errors.ServiceError is answered so, with its stable code as `error_code` and the field
at fault as `parameter`."""
import json

from django.http import HttpResponse

from core.errors import STATUS_CODES, ServiceError, with_retry_after


class Open311Error(ServiceError):
    """A refusal made by the Open311 views themselves (a wrong id, a wrong format)."""

    def __init__(self, status: int, description: str, retry_after: int | None = None, *, parameter: str | None = None,
                 code: str | None = None):
        super().__init__(description, status=status, retry_after=retry_after, parameter=parameter,
                         code=code or STATUS_CODES.get(status, "invalid"))


def as_list(error: ServiceError) -> list[dict]:
    return [{"code": error.status, "description": str(error), "error_code": error.code, **error.fields()}]


def error_response(error: ServiceError, fmt: str) -> HttpResponse:
    """The error as a plain Django response, for code outside an Open311 view (a database outage)."""
    from .renderers import errors_xml

    if fmt == "xml":
        response = HttpResponse(errors_xml(as_list(error)), status=error.status, content_type="text/xml; charset=utf-8")
    else:
        response = HttpResponse(json.dumps(as_list(error)), status=error.status, content_type="application/json")
    return with_retry_after(response, error)


def open311_error_shape(request, error: ServiceError) -> HttpResponse:
    """Open311's error list for errors raised outside its views (core.errors), XML for a .xml path."""
    return error_response(error, "xml" if request.path.endswith(".xml") else "json")
