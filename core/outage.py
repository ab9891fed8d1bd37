"""A database that does not answer: a quick 503 with Retry-After, in each API's own error format, never a 500.

Django raises OperationalError when it cannot connect (the server is down, restarting or refusing
connections) and when a connection breaks under a query; InterfaceError when a connection it held has
gone. Either way the request could not be served, nothing it wanted to write was committed unless the
connection broke during COMMIT itself, and the same request may succeed in a few seconds. Django
closes the broken connection at the end of the request, and CONN_HEALTH_CHECKS makes the next request
test a reused one before trusting it, so the server recovers by itself when the database is back.
OperationalError also covers a deadlock, a cancelled statement or a full disk: passing conditions too,
for which "retry in a few seconds" is the right answer.
"""
import logging

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.utils.html import escape

from .errors import api_error

logger = logging.getLogger(__name__)

DATABASE_ERRORS = (OperationalError, InterfaceError)


def database_unavailable(exc: BaseException) -> bool:
    return isinstance(exc, DATABASE_ERRORS)


def unavailable_description(request) -> str:
    seconds = settings.DATABASE_UNAVAILABLE_RETRY_AFTER
    text = f"the service is briefly unavailable (its database does not answer); retry in {seconds} seconds"
    if request.method == "POST":
        text += " with the same Idempotency-Key, so that nothing is stored twice"
    return text


class DatabaseUnavailableMiddleware:
    """Turns a database error raised by a view into a 503 with Retry-After (Open311, OGC, JSON or HTML)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not database_unavailable(exception):
            return None
        logger.warning("database unavailable, answered 503: %s %s: %s", request.method, request.path, _first_line(exception))
        response = _response(request, unavailable_description(request))
        response["Retry-After"] = str(settings.DATABASE_UNAVAILABLE_RETRY_AFTER)
        return response


def _response(request, description: str) -> HttpResponse:
    """In the shape of the API the path belongs to (gis_portal/errors.py); JSON for /healthz and clients that
    do not ask for HTML; else a short bilingual page."""
    answer = api_error(request, 503, description)
    if answer is not None:
        return answer
    if request.path.startswith("/healthz") or "text/html" not in request.headers.get("Accept", ""):
        return JsonResponse({"detail": description}, status=503)
    page = (
        '<!doctype html><html lang="el"><meta charset="utf-8"><title>503</title>'
        f"<h1>Προσωρινά μη διαθέσιμο / Briefly unavailable</h1><p>{escape(description)}.</p></html>"
    )
    return HttpResponse(page, status=503, content_type="text/html; charset=utf-8")


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:200] if text else exc.__class__.__name__
