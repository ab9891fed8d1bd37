"""The navigation every page shows: where the site's name leads, the header's links and the footer's links. Core
names no app's URL: each app registers its entries in AppConfig.ready() (as with core.page_access's signed-in pages)."""
from dataclasses import dataclass, field

from django.urls import reverse

HEADER, FOOTER = "header", "footer"


@dataclass(frozen=True)
class NavLink:
    """A link of the site's navigation: its URL name (and arguments), its label (translatable), its place and
    order there; `home` makes it also the link of the site's name."""

    url_name: str
    label: str
    order: int
    place: str = HEADER
    kwargs: dict = field(default_factory=dict)
    home: bool = False


_LINKS: dict[tuple[str, str], NavLink] = {}


def register_nav_link(link: NavLink) -> None:
    if link.place not in (HEADER, FOOTER):
        raise ValueError(f"a navigation link's place is {HEADER!r} or {FOOTER!r}, got {link.place!r}")
    _LINKS[(link.place, link.url_name)] = link


def site_navigation() -> dict:
    """{"home": the site name's URL ("/" when no app registered one), "header": [...], "footer": [...]}, each link
    as {"url", "label"} in order."""
    links = sorted(_LINKS.values(), key=lambda link: link.order)
    home = next((link for link in links if link.home), None)
    return {
        "home": reverse(home.url_name, kwargs=home.kwargs) if home else "/",
        **{place: [{"url": reverse(link.url_name, kwargs=link.kwargs), "label": link.label}
                   for link in links if link.place == place] for place in (HEADER, FOOTER)},
    }
