"""The sign-in lock-out: after LOGIN_FAILURE_LIMIT failed sign-ins for one account (or LOGIN_FAILURE_LIMIT_PER_IP
from one address) within LOGIN_LOCKOUT_SECONDS, further attempts are refused, even with the right
password, until the oldest of those failures is LOGIN_LOCKOUT_SECONDS old."""
from datetime import datetime, timedelta, timezone

from django.conf import settings

from .models import LoginFailure


def _normal(username: str) -> str:
    return (username or "").strip().lower()[:150]


def login_locked_for(username: str, ip: str | None, now: datetime | None = None) -> int:
    """Seconds until this account (or this address) may try again; 0 when it is not locked."""
    now = now or datetime.now(timezone.utc)
    period = timedelta(seconds=settings.LOGIN_LOCKOUT_SECONDS)
    waits = [0]
    scopes = [({"username": _normal(username)}, settings.LOGIN_FAILURE_LIMIT)]
    if ip:
        scopes.append(({"ip": ip}, settings.LOGIN_FAILURE_LIMIT_PER_IP))
    for where, limit in scopes:
        recent = list(LoginFailure.objects.filter(at__gt=now - period, **where).order_by("-at").values_list("at", flat=True)[:limit])
        if len(recent) >= limit:
            waits.append(int((recent[-1] + period - now).total_seconds()) + 1)
    return max(waits)


def login_failure_record(username: str, ip: str | None) -> None:
    LoginFailure.objects.create(username=_normal(username), ip=ip)


def login_success_record(username: str) -> None:
    """A successful sign-in clears the account's failures (not its address's: a sprayer keeps its count)."""
    LoginFailure.objects.filter(username=_normal(username)).delete()
