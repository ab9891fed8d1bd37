"""Sign-in protection around django-axes: the page a locked-out sign-in gets, the user name as counted, and a
limit on sign-in attempts per address (password spraying across many accounts).

django-axes locks one account from one address (AXES_LOCKOUT_PARAMETERS), so nobody can lock a known
account out from elsewhere; every password check through django.contrib.auth.authenticate is counted
(the admin, the staff sign-in page, any other form)."""
from django.conf import settings
from django.shortcuts import render
from django.utils.translation import gettext as _

from .limits import client_ip, limit_hit


def normalized_username(request, credentials: dict | None) -> str:
    """The name failures are counted under: "Maria", " maria " and "MARIA" are one account."""
    raw = (credentials or {}).get("username")
    if raw is None and request is not None:
        raw = request.POST.get("username", "")
    return str(raw or "").strip().lower()[:150]


def _minutes_text(seconds: int) -> str:
    minutes = max(1, round(seconds / 60))
    return _("Too many failed sign-ins: try again in %(minutes)d minutes.") % {"minutes": minutes} if minutes != 1 \
        else _("Too many failed sign-ins: try again in 1 minute.")


def lockout_response(request, original_response=None, credentials=None):
    """429 with the page saying for how long; Retry-After in seconds."""
    seconds = int(settings.AXES_COOLOFF_TIME.total_seconds())
    response = render(request, "core/locked_out.html", {"message": _minutes_text(seconds)}, status=429)
    response["Retry-After"] = str(seconds)
    return response


class SignInAttemptLimitMiddleware:
    """At most LOGIN_ATTEMPT_LIMIT_PER_ADDRESS sign-in attempts (POSTs to a sign-in page) from one address per
    LOGIN_LOCKOUT_SECONDS, whatever the accounts tried: 429 after that."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST" and request.path in settings.SIGN_IN_PATHS:
            decision = limit_hit(scope="sign-in", key=f"ip:{client_ip(request) or 'unknown'}",
                                 limit=settings.LOGIN_ATTEMPT_LIMIT_PER_ADDRESS,
                                 window_seconds=settings.LOGIN_LOCKOUT_SECONDS)
            if not decision.allowed:
                response = render(request, "core/locked_out.html", {"message": _minutes_text(decision.retry_after)},
                                  status=429)
                response["Retry-After"] = str(decision.retry_after)
                return response
        return self.get_response(request)
