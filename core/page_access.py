"""Signed-in pages: who may open them (anonymous visitors go to the sign-in page, a signed-in user without the
role gets a 403 page that says which role the page needs), and the registry of those pages that the
navigation of every signed-in page lists (each app registers its own in AppConfig.ready)."""
from dataclasses import dataclass
from functools import wraps
from typing import Callable

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _


def in_planner_group(user) -> bool:
    """A member of the civil-protection planners' group (settings.PLANNER_GROUP)."""
    return bool(user and user.is_authenticated and user.groups.filter(name=settings.PLANNER_GROUP).exists())


def planner_or_administrator(user) -> bool:
    return bool(user and user.is_authenticated and (user.is_superuser or in_planner_group(user)))


def page_for(allowed: Callable, needs: str):
    """A page view for signed-in users for whom allowed(request, *args, **kwargs) is true; `needs` (translatable)
    says who may open it, on the 403 page the others get."""

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not allowed(request, *args, **kwargs):
                return page_refused(request, 403, needs)
            return view(request, *args, **kwargs)

        return wrapper

    return decorate


def page_refused(request, status: int, message: str):
    """A page that says why it was refused: 403 (not this account's role), 404 (nothing there) or 400 (a parameter
    to fix)."""
    heading = {403: _("You cannot open this page"), 404: _("There is nothing at this address")}.get(
        status, _("This page cannot be made from that address"))
    return render(request, "core/page_refused.html", {"heading": heading, "message": message, "forbidden": status == 403},
                  status=status)


@dataclass(frozen=True)
class SignedInPage:
    """A page in the signed-in navigation: its URL name, its label (translatable) and who sees the link."""

    url_name: str
    label: str
    order: int
    visible: Callable


_PAGES: dict[str, SignedInPage] = {}


def register_signed_in_page(page: SignedInPage) -> None:
    _PAGES[page.url_name] = page


def signed_in_links(request) -> list[dict]:
    """The registered pages this user may open, in order, the current one marked."""
    user = request.user
    if not user.is_authenticated:
        return []
    links = []
    for page in sorted(_PAGES.values(), key=lambda p: p.order):
        if page.visible(user):
            url = reverse(page.url_name)
            links.append({"url": url, "label": page.label, "current": request.path == url})
    return links
