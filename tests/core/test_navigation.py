"""Core names no app's URL: its templates and its Python reach app pages only through what the apps register
(core.navigation, core.context_processors.register_offline_layer, core.page_access)."""
import json
import re
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from tests.conftest import PROJECT_ROOT

APPS = ("layers", "hazards", "issues", "participation")
CORE = PROJECT_ROOT / "core"
TEMPLATE_URL = re.compile(r"""{%\s*url\s+['"]([^'"]+)['"]""")
PYTHON_REVERSE = re.compile(r"""\breverse(?:_lazy)?\(\s*['"]([^'"]+)['"]""")


def app_url_names() -> set[str]:
    """The names of every URL whose view lives in an app."""
    names: set[str] = set()

    def walk(patterns):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns)
            elif isinstance(pattern, URLPattern) and pattern.name:
                view = getattr(pattern.callback, "view_class", None) or getattr(pattern.callback, "cls", None) or pattern.callback
                if view.__module__.split(".")[0] in APPS:
                    names.add(pattern.name)

    walk(get_resolver().url_patterns)
    return names


def named_in(paths, pattern: re.Pattern) -> dict[str, set[str]]:
    found = {}
    for path in paths:
        names = set(pattern.findall(path.read_text("utf-8")))
        if names:
            found[path.relative_to(PROJECT_ROOT).as_posix()] = names
    return found


def test_the_app_url_names_are_known():
    """The scan below would prove nothing if no app URL were found."""
    assert {"home", "district-list", "ogc-landing", "open311-discovery", "planner-map"} <= app_url_names()


def test_core_templates_name_no_app_url():
    app_names = app_url_names()
    offending = {path: names & app_names for path, names in named_in((CORE / "templates").rglob("*.html"), TEMPLATE_URL).items()}
    assert {path: names for path, names in offending.items() if names} == {}


def test_core_python_reverses_no_app_url():
    app_names = app_url_names()
    sources = [p for p in CORE.rglob("*.py") if "migrations" not in p.parts]
    offending = {path: names & app_names for path, names in named_in(sources, PYTHON_REVERSE).items()}
    assert {path: names for path, names in offending.items() if names} == {}


@pytest.mark.django_db
def test_a_core_page_shows_the_links_the_apps_registered(client):
    html = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<a class="site-name" href="/">' in html
    assert '<li><a href="/">Map of reports</a></li>' in html
    footer = html[html.index('<footer class="site-footer">'):]
    assert footer.index('href="/api/docs/"') < footer.index('href="/open311/v2/discovery.json">Open311<') \
        < footer.index('href="/ogc/">Open data (OGC API)<') < footer.index('href="/admin/"')


@pytest.mark.django_db
def test_the_offline_basemap_layers_come_from_the_layers_app(client):
    html = client.get("/accounts/login/").content.decode()
    config = json.loads(re.search(r'<script id="site-config" type="application/json">(.*?)</script>', html, re.S).group(1))
    assert config["offline"] == {"municipalities": "/api/municipalities/", "districts": "/api/districts/",
                                 "places": "/api/places/", "coastline": config["offline"]["coastline"]}
