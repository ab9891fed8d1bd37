"""Who may write citizen reports, comments and supports: an API key, or this site's form with its CSRF token."""
from dataclasses import dataclass

from django.conf import settings
from django.middleware.csrf import CsrfViewMiddleware
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import ServiceError
from core.limits import citizen_write_allowed

from .api_keys import api_key_allow, api_key_for
from .models import ApiKey


class ClientRejected(ServiceError):
    """403 (no key, a wrong key, no CSRF token) or 429 (over the limit, with Retry-After)."""

    def __init__(self, status: int, message: str, retry_after: int | None = None, parameter: str | None = None):
        super().__init__(message, status=status, code="throttled" if status == 429 else "not_allowed",
                         retry_after=retry_after, parameter=parameter)


@dataclass(frozen=True)
class Client:
    api_key: ApiKey | None
    user: object | None
    scope: str  # whose Idempotency-Keys these are

    @property
    def actor(self) -> str:
        if self.user is not None:
            return f"citizen {self.user.get_username()}"
        return f"citizen via api key {self.api_key.name}" if self.api_key else "citizen via web form"


class _CsrfCheck(CsrfViewMiddleware):
    def _reject(self, request, reason):
        return reason


def report_client(request, raw_key: str) -> Client:
    """Check the API key (403 when wrong, 429 over its limit); without one, require this site's CSRF token
    and count the write against the per-client limit (429 with the seconds to wait).

    request is Django's HttpRequest (with the session and user of the middleware).
    """
    user = getattr(request, "user", None)
    user = user if user is not None and user.is_authenticated else None
    if raw_key:
        api_key = api_key_for(raw_key)
        if api_key is None:
            raise ClientRejected(403, _("the key is not valid or has been revoked"), parameter="api_key")
        if not api_key_allow(api_key):
            raise ClientRejected(
                429, _("the limit of %(limit)d requests a minute is reached; retry in a minute")
                % {"limit": api_key.rate_limit_per_minute}, retry_after=60 - timezone.now().second, parameter="api_key",
            )
        return Client(api_key=api_key, user=user, scope=f"key:{api_key.pk}")
    check = _CsrfCheck(lambda r: None)
    check.process_request(request)
    if check.process_view(request, None, (), {}) is not None:
        raise ClientRejected(403, _("required (or post from this site's report form with its CSRF token)"), parameter="api_key")
    decision = citizen_write_allowed(request)
    if not decision.allowed:
        raise ClientRejected(
            429, _("too many reports, comments and supports from here: at most %(limit)d in %(minutes)d minutes "
                   "without an API key; retry in %(seconds)d s")
            % {"limit": decision.limit, "minutes": settings.ANONYMOUS_WRITE_WINDOW_SECONDS // 60, "seconds": decision.retry_after},
            retry_after=decision.retry_after,
        )
    if user is not None:
        return Client(api_key=None, user=user, scope=f"user:{user.pk}")
    session = getattr(request, "session", None)
    token = (session.session_key if session is not None else None) or request.META.get("CSRF_COOKIE", "")
    return Client(api_key=None, user=None, scope=f"session:{token}")
