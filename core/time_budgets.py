"""Time budgets: every request's statements run under a statement timeout chosen by the kind of work, so no
public request holds a worker or a connection for long. Public reads and tiles get a short budget, staff
work (signed-in sessions, the staff and planner paths) a longer one; the job worker sets none (its
connections never pass here). A public statement that runs out of time is cancelled by PostgreSQL and the
request answered 503 with Retry-After, in the API's own error shape.

The timeout is a session setting (SET statement_timeout), sent only when the connection's current value is
not the one this request needs: with persistent connections most requests send nothing. What was sent is
remembered per connection and forgotten whenever Django opens or borrows one (`connection_created`); a pooled
connection goes back to the pool without it (core/connection_pool.py `reset_session`), so a request, a job or a
background thread never runs under another request's timeout. Every connection a
request uses runs under its budget: the primary's here, before the view; the read replica's when a view reads
there (core/replica.py, `apply_budget(request, using="replica")`).

A statement cancelled by a replica's recovery (it had to replay a change the statement was reading past) is not
out of time: `conflict_with_recovery` tells it apart, and the replica's code runs it again on the primary.
"""
import logging

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, OperationalError, connections
from django.db.backends.signals import connection_created
from django.dispatch import receiver
from django.http import JsonResponse
from psycopg import errors as pg_errors

from .errors import api_error

logger = logging.getLogger(__name__)


def budget_ms(request) -> int:
    """The statement timeout of this request's kind of work, in milliseconds."""
    user = getattr(request, "user", None)
    if (user is not None and user.is_authenticated) or request.path.startswith(tuple(settings.STAFF_PATH_PREFIXES)):
        return settings.STATEMENT_TIMEOUT_STAFF_MS
    return settings.STATEMENT_TIMEOUT_PUBLIC_MS


def set_statement_timeout(milliseconds: int, *, using: str = DEFAULT_DB_ALIAS) -> None:
    """Put the connection under this timeout (a session setting kept across requests; re-sent for a new connection)."""
    connection = connections[using]
    connection.ensure_connection()
    if getattr(connection, "statement_timeout_set", None) == milliseconds:
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('statement_timeout', %s, false)", [f"{milliseconds}ms"])
    connection.statement_timeout_set = milliseconds


@receiver(connection_created)
def forget_statement_timeout(sender, connection, **kwargs) -> None:
    """A connection just opened, or just borrowed from the pool, runs under the server's default timeout."""
    connection.statement_timeout_set = None


def apply_budget(request, *, using: str = DEFAULT_DB_ALIAS) -> None:
    """Put the connection `using` under this request's budget."""
    set_statement_timeout(budget_ms(request), using=using)


RECOVERY_CONFLICT = "conflict with recovery"


def conflict_with_recovery(exc: BaseException) -> bool:
    """A replica cancelled the statement to replay the primary's changes: PostgreSQL 15 says so with a
    serialization failure (a read on a replica fails so for no other reason), other versions with a cancel
    naming the conflict."""
    cause = exc.__cause__
    if not isinstance(exc, OperationalError):
        return False
    return isinstance(cause, pg_errors.SerializationFailure) or (
        isinstance(cause, pg_errors.QueryCanceled) and RECOVERY_CONFLICT in str(cause))


def ran_out_of_time(exc: BaseException) -> bool:
    return (isinstance(exc, OperationalError) and isinstance(exc.__cause__, pg_errors.QueryCanceled)
            and not conflict_with_recovery(exc))


class StatementTimeoutMiddleware:
    """Sets the request's statement timeout before the view runs; a cancelled statement becomes a 503."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view, args, kwargs):
        try:
            apply_budget(request)
        except OperationalError:
            pass  # the database does not answer: the view's own query meets it, and the outage answer follows
        return None

    def process_exception(self, request, exception):
        if not ran_out_of_time(exception):
            return None
        return out_of_time(request)


def out_of_time(request, *, where: str = DEFAULT_DB_ALIAS):
    """The answer to a request whose statement ran out of time (on the database `where`): 503, Retry-After, in the
    API's own error shape."""
    seconds = settings.STATEMENT_TIMEOUT_RETRY_AFTER
    limit = budget_ms(request) / 1000
    logger.warning("statement timeout (%g s) on %s, answered 503: %s %s", limit, where, request.method, request.path)
    message = (f"the request needed more than the {limit:g} s this server allows a query; "
               f"narrow it (a smaller area, a tighter filter, fewer items) or retry in {seconds} seconds")
    response = api_error(request, 503, message) or JsonResponse({"detail": message}, status=503)
    response["Retry-After"] = str(seconds)
    response["Cache-Control"] = "no-store"
    return response
