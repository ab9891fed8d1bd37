"""GET /healthz: 200 with the PostgreSQL and PostGIS versions, 503 with a short reason otherwise. With a read
replica, its state and lag too; a replica that is down is reported, and the answer stays 200 (reads go to the
primary)."""
import logging

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core import replica

logger = logging.getLogger(__name__)


@never_cache
@require_GET
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            postgres_version = cursor.fetchone()[0]
            cursor.execute("SELECT extversion FROM pg_extension WHERE extname = 'postgis'")
            row = cursor.fetchone()
            if row is None:
                return _unavailable("the PostGIS extension is not installed in the database")
            cursor.execute("SELECT postgis_lib_version()")
            postgis_version = cursor.fetchone()[0]
    except DatabaseError as exc:
        logger.warning("health check: database unavailable: %s", exc)
        # Close the broken connection so the next request reconnects instead of reusing it.
        connection.close_if_unusable_or_obsolete()
        return _unavailable("database unavailable: " + _first_line(exc))
    return JsonResponse({"status": "ok", "database": {"postgresql": postgres_version, "postgis": postgis_version},
                         "replica": replica.health()})


def _unavailable(reason: str) -> JsonResponse:
    response = JsonResponse({"status": "unavailable", "reason": reason}, status=503)
    response["Retry-After"] = str(settings.DATABASE_UNAVAILABLE_RETRY_AFTER)
    return response


def _first_line(exc: Exception) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:200] if text else exc.__class__.__name__
