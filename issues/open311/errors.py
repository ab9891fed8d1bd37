"""Open311 errors: a status and a list of {code, description}, in the request's format."""
import json

from django.http import HttpResponse


class Open311Error(Exception):
    def __init__(self, status: int, description: str, retry_after: int | None = None):
        super().__init__(description)
        self.status = status
        self.description = description
        self.retry_after = retry_after  # seconds, sent as Retry-After (with 429)

    def as_list(self) -> list[dict]:
        return [{"code": self.status, "description": self.description}]


def error_response(error: Open311Error, fmt: str) -> HttpResponse:
    """The error as a plain Django response, for code outside an Open311 view (a database outage)."""
    from .renderers import errors_xml

    if fmt == "xml":
        return HttpResponse(errors_xml(error.as_list()), status=error.status, content_type="text/xml; charset=utf-8")
    return HttpResponse(json.dumps(error.as_list()), status=error.status, content_type="application/json")


def open311_error_shape(request, status: int, message: str) -> HttpResponse:
    """Open311's error list for errors raised outside its views (core.errors), XML for a .xml path."""
    return error_response(Open311Error(status, message), "xml" if request.path.endswith(".xml") else "json")
