"""Fixed-window request limits shared by every worker (one upserted row per client and window): the one limiter
for API keys and for writes without a key, and the client's address as the server in front reports it.

Counters live in PostgreSQL, not in a cache, so every worker and every machine behind the same database
count together and a restart forgets nothing; one upsert a request is the whole cost."""
import random
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from ipaddress import ip_address

from django.conf import settings

from .sql_files import fetch_one

from .models import RequestCount

# One request in this many also deletes windows that ended a day ago or more.
PRUNE_ONE_IN = 200


@dataclass(frozen=True)
class LimitDecision:
    allowed: bool
    count: int
    limit: int
    retry_after: int  # seconds until the window ends


def client_ip(request) -> str | None:
    """REMOTE_ADDR, or with CLIENT_IP_PROXY_COUNT trusted proxies in front, the address the nearest of them
    saw (the Nth entry of X-Forwarded-For from the right); None when that is not an IP address."""
    proxies = settings.CLIENT_IP_PROXY_COUNT
    candidate = request.META.get("REMOTE_ADDR", "")
    if proxies > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            candidate = forwarded[-proxies]
    try:
        return str(ip_address(candidate))
    except ValueError:
        return None


def client_key(request) -> str:
    """Whom a limit counts: a signed-in account, else the client's address."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return f"ip:{client_ip(request) or 'unknown'}"


def limit_hit(*, scope: str, key: str, limit: int, window_seconds: int, now: datetime | None = None) -> LimitDecision:
    """Count one request of key against the limit; not allowed once the window's count passes the limit."""
    now = now or datetime.now(timezone.utc)
    epoch = int(now.timestamp())
    start = epoch - epoch % window_seconds
    window_start = datetime.fromtimestamp(start, timezone.utc)
    count = fetch_one("core", "request_count_hit", {"scope": scope, "key": key[:200], "window_start": window_start})["count"]
    if random.randrange(PRUNE_ONE_IN) == 0:
        RequestCount.objects.filter(window_start__lt=now - timedelta(days=1, seconds=window_seconds)).delete()
    return LimitDecision(allowed=count <= limit, count=count, limit=limit, retry_after=max(1, start + window_seconds - epoch))


def citizen_write_allowed(request) -> LimitDecision:
    """The limit on reports, comments and supports sent without an API key (the site's own forms)."""
    return limit_hit(scope="citizen-write", key=client_key(request), limit=settings.ANONYMOUS_WRITE_LIMIT,
                     window_seconds=settings.ANONYMOUS_WRITE_WINDOW_SECONDS)
