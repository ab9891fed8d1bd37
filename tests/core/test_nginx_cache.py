"""The production recipe's nginx cache (deploy/nginx/) in front of a test server: a tile asked for again is
served by nginx without reaching Django, and a changed layer's tile is refreshed once its max-age has passed
(nginx revalidates with the server's ETag). Debian's nginx on a free loopback port, with the configuration
generated from the recipe by scripts/nginx_cache_check.py."""
import dataclasses
import importlib.util
import shutil
from pathlib import Path
import time

import pytest
from django.contrib.gis.geos import Point
from django.core.signals import request_started

from issues.models import Category
from issues.services.reporting import issue_report
from layers import registry
from tests.conftest import PROJECT_ROOT

ISSUES_TILE = "/ogc/collections/public-issues/tiles/WebMercatorQuad/12/1541/2309"
HERITAGE_TILE = "/ogc/collections/heritage-sites/tiles/WebMercatorQuad/12/1541/2309"
MAX_AGE = 2

pytestmark = pytest.mark.skipif(not shutil.which("nginx") and not Path("/usr/sbin/nginx").exists(),
                                reason="Debian's nginx is not installed (scripts/install_system.sh installs it)")


def load_check():
    spec = importlib.util.spec_from_file_location("nginx_cache_check", PROJECT_ROOT / "scripts" / "nginx_cache_check.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def django_requests():
    """The paths of the requests that reached Django (the live server runs in this process)."""
    seen = []

    def count(sender, environ, **kwargs):
        seen.append(environ["PATH_INFO"])

    request_started.connect(count)
    yield seen
    request_started.disconnect(count)


@pytest.fixture
def short_lived_issue_layer(monkeypatch):
    """The public issues layer with a max-age of 2 s (60 s in its registry entry), so the test need not wait."""
    collection = registry.get("public-issues")
    monkeypatch.setitem(registry._registry, "public-issues", dataclasses.replace(collection, max_age=MAX_AGE))


def a_report(lon=22.9480, lat=40.6330):
    return issue_report(category=Category.objects.get(service_code="pothole"), point=Point(lon, lat, srid=4326), actor="t")


@pytest.mark.django_db(transaction=True)
def test_a_cached_tile_is_served_by_nginx_and_a_changed_layer_is_refreshed_after_its_max_age(
        live_server, django_requests, short_lived_issue_layer):
    from tests.conftest import load_demo_data

    load_demo_data()
    a_report()
    check = load_check()
    with check.LocalNginx(live_server.url) as nginx:
        status, first, body = nginx.get(HERITAGE_TILE)
        assert status == 200 and first["x-cache-status"] == "MISS" and django_requests.count(HERITAGE_TILE) == 1
        for _ in range(3):
            status, again, same = nginx.get(HERITAGE_TILE)
            assert (status, again["x-cache-status"], again["etag"], same) == (200, "HIT", first["etag"], body)
        assert django_requests.count(HERITAGE_TILE) == 1  # served by nginx alone

        status, issues, before = nginx.get(ISSUES_TILE)
        assert status == 200 and issues["cache-control"].startswith(f"public, max-age={MAX_AGE}")
        a_report(22.9490, 40.6340)  # the layer changes: within its max-age nginx still serves what it has
        status, cached, same = nginx.get(ISSUES_TILE)
        assert cached["x-cache-status"] == "HIT" and same == before
        time.sleep(MAX_AGE + 1)
        statuses, bodies = [], []
        for _ in range(3):  # stale-while-revalidate: one stale answer may come while nginx refreshes the entry
            status, headers, data = nginx.get(ISSUES_TILE)
            statuses.append(headers["x-cache-status"])
            bodies.append(data)
            if data != before:
                break
            time.sleep(0.3)
        assert bodies[-1] != before and headers["etag"] != issues["etag"], statuses
        reached = django_requests.count(ISSUES_TILE)
        assert reached == 2  # the first fill and one revalidation that fetched the changed tile

        time.sleep(MAX_AGE + 1)  # unchanged since: revalidated with the ETag, the server answers 304
        status, headers, data = nginx.get(ISSUES_TILE)
        assert headers["x-cache-status"] in ("REVALIDATED", "STALE", "UPDATING") and data == bodies[-1]
        time.sleep(0.5)
        status, headers, data = nginx.get(ISSUES_TILE)
        assert headers["x-cache-status"] == "HIT" and data == bodies[-1]
        assert django_requests.count(ISSUES_TILE) == reached + 1
