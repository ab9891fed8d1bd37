"""Every resident's participation write, from the API or a page, under the citizen write limit (core.limits): over
it, a 429 that says when to retry (Retry-After). The city's staff (is_staff) work through queues of proposals,
comments and budgets, as the report queues' staff do, outside that limit."""
from django.conf import settings
from django.utils.translation import gettext as _

from core.limits import citizen_write_allowed

from .errors import TooManyWrites


def require_write_allowance(request) -> None:
    if getattr(request.user, "is_staff", False):
        return
    decision = citizen_write_allowed(request)
    if not decision.allowed:
        raise TooManyWrites(
            _("too many writes from this account or address: at most %(limit)d in %(minutes)d minutes; "
              "retry in %(seconds)d s") % {"limit": decision.limit, "seconds": decision.retry_after,
                                           "minutes": settings.ANONYMOUS_WRITE_WINDOW_SECONDS // 60},
            retry_after=decision.retry_after)
