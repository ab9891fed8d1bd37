"""Reads from a streaming replica of PostgreSQL, when one is configured (DATABASE_REPLICA_URL), for the views that
only read: layers, tiles, downloads, the OGC API, public lists and figures. Everything else, and every write, uses
the primary, as it does when there is no replica.

* A view opts in with `@replica_reads`. Its reads then go to the replica: ORM queries through `ReplicaRouter`,
  SQL through `read_connection()` / `reading_alias()` (layer SQL, change stamps, figures).
* The replica is used only while it answers and its lag is at most REPLICA_MAX_LAG_SECONDS (checked at most once
  per REPLICA_CHECK_SECONDS in each process). A replica that fails is left alone for REPLICA_RETRY_SECONDS.
* The replica's connection runs under the request's time budget, as the primary's does (core/time_budgets.py).
  A statement that runs out of time there is answered 503 with Retry-After, as on the primary, and not run again
  on the primary: it would cost a second budget and most likely run out of time again.
* A request that fails on the replica otherwise (it stopped, a connection broke, recovery cancelled a query to
  replay the primary's changes, which is not the query's fault) is run again, once, on the primary, so a replica
  going away costs a retry, never an error page. A GeoJSON download already streaming from the replica cannot be
  retried: it ends short, as it would if the primary stopped.
* A client that has just written (any POST, PUT, PATCH or DELETE) gets a cookie that pins its reads to the primary
  for REPLICA_PIN_SECONDS, so a citizen always sees the report just sent, and staff the change just made. Clients
  without cookies (API keys) read data at most REPLICA_MAX_LAG_SECONDS old.
"""
import logging
import time
from collections.abc import Callable
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, InterfaceError, OperationalError, connections

from .sql_files import fetch_one
from .time_budgets import apply_budget, out_of_time, ran_out_of_time

logger = logging.getLogger(__name__)

REPLICA = "replica"
PIN_COOKIE = "read_primary_until"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")

_reading: ContextVar[str] = ContextVar("reading_alias", default=DEFAULT_DB_ALIAS)


def configured() -> bool:
    return REPLICA in settings.DATABASES


def reading_alias() -> str:
    """The database alias this request reads from: `replica` inside a view that may read there, else `default`."""
    return _reading.get()


def read_connection():
    """The connection this request reads from."""
    return connections[reading_alias()]


@contextmanager
def reading_from(alias: str):
    token = _reading.set(alias)
    try:
        yield
    finally:
        _reading.reset(token)


class ReplicaRouter:
    """ORM reads go where the request reads from (the primary unless the view opted in and the replica is fit);
    writes and migrations always to the primary."""

    def db_for_read(self, model, **hints):
        return reading_alias()

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica holds the same rows as the primary

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS


# --- the replica's state, per process ---------------------------------------------------------------------------

@dataclass(frozen=True)
class ReplicaStatus:
    available: bool
    lag_seconds: float | None = None  # how far replay is behind what the replica received; 0 when it has all
    replay_paused: bool = False
    streaming: bool = False  # its WAL receiver is connected to the primary
    reason: str = ""

    @property
    def fit(self) -> bool:
        return self.available and self.lag_seconds is not None and self.lag_seconds <= settings.REPLICA_MAX_LAG_SECONDS


_status: ReplicaStatus | None = None
_checked_at = 0.0
_retry_at = 0.0


def replica_status(*, fresh: bool = False) -> ReplicaStatus:
    """The replica's state, asked at most once per REPLICA_CHECK_SECONDS (or now, when fresh); after a failure, not
    asked again for REPLICA_RETRY_SECONDS (unless fresh)."""
    global _status, _checked_at
    now = time.monotonic()
    if not fresh and _status is not None:
        if not _status.available and now < _retry_at:
            return _status
        if _status.available and now - _checked_at < settings.REPLICA_CHECK_SECONDS:
            return _status
    try:
        row = fetch_one("core", "replica_status", {}, using=REPLICA)
        _status = ReplicaStatus(available=True, lag_seconds=round(float(row["lag_seconds"]), 3),
                                replay_paused=row["replay_paused"], streaming=row["streaming"])
        _checked_at = now
    except DatabaseError as exc:
        mark_failed(exc)
    return _status


def mark_failed(exc: BaseException) -> None:
    """The replica failed: its connection is dropped and reads stay on the primary for REPLICA_RETRY_SECONDS."""
    global _status, _retry_at
    _status = ReplicaStatus(available=False, reason=_first_line(exc))
    _retry_at = time.monotonic() + settings.REPLICA_RETRY_SECONDS
    try:
        connections[REPLICA].close()
    except DatabaseError:
        pass


def _pinned(request) -> bool:
    value = request.COOKIES.get(PIN_COOKIE, "")
    try:
        return float(value) > time.time()
    except ValueError:
        return False


def alias_for(request) -> str:
    """Where this request's reads go: the replica for a read (GET, HEAD) by a client not pinned to the primary,
    while the replica answers and is not too far behind; else the primary."""
    if not configured() or request.method not in ("GET", "HEAD") or _pinned(request):
        return DEFAULT_DB_ALIAS
    return REPLICA if replica_status().fit else DEFAULT_DB_ALIAS


def replica_reads(view: Callable) -> Callable:
    """A view that only reads may read from the replica, under the request's time budget; when the replica fails
    under it, it runs again on the primary (but not when its statement ran out of time: that is a 503)."""
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        alias = alias_for(request)
        if alias == DEFAULT_DB_ALIAS:
            return view(request, *args, **kwargs)
        try:
            apply_budget(request, using=alias)
            with reading_from(alias):
                response = view(request, *args, **kwargs)
            response["X-Read-From"] = "replica"
            return response
        except (OperationalError, InterfaceError) as exc:
            if ran_out_of_time(exc):
                response = out_of_time(request, where=alias)
                response["X-Read-From"] = "replica"
                return response
            logger.warning("replica failed under %s %s, read again from the primary: %s", request.method,
                           request.path, _first_line(exc))
            replica = connections[REPLICA]
            if replica.connection is None or not replica.is_usable():
                mark_failed(exc)
            else:
                replica.close()
        return view(request, *args, **kwargs)
    wrapper.replica_reads = True
    return wrapper


class PinReadsAfterWriteMiddleware:
    """After a write request (any method but GET, HEAD, OPTIONS), the client's reads go to the primary for
    REPLICA_PIN_SECONDS: a cookie holding until when."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if configured() and request.method not in SAFE_METHODS:
            seconds = settings.REPLICA_PIN_SECONDS
            response.set_cookie(PIN_COOKIE, f"{time.time() + seconds:.3f}", max_age=seconds, httponly=True,
                                samesite="Lax", secure=request.is_secure())
        return response


def health() -> dict:
    """The replica's part of /healthz: not configured, unavailable (why), or its lag and whether reads use it."""
    if not configured():
        return {"status": "not configured"}
    found = replica_status(fresh=True)
    if not found.available:
        return {"status": "unavailable", "reason": found.reason, "reads": "primary"}
    return {"status": "ok", "lag_seconds": found.lag_seconds, "replay_paused": found.replay_paused,
            "streaming": found.streaming, "max_lag_seconds": settings.REPLICA_MAX_LAG_SECONDS,
            "reads": "replica" if found.fit else "primary"}


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:200] if text else exc.__class__.__name__
