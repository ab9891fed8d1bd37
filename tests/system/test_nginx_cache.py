"""The production recipe's nginx cache (deploy/nginx/) in front of a test server: a tile asked for again is
served by nginx without reaching Django, and a changed layer's tile is refreshed once its max-age has passed
(nginx revalidates with the server's ETag); a download file is sent by nginx on the server's
X-Accel-Redirect, with the server's headers. Debian's nginx on a free loopback port, with the configuration
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


DOWNLOAD = "/ogc/collections/heritage-sites/download/csv"


def origin_get(url: str, path: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
    """A request straight to the server, as nginx makes it (Host without the port: nginx's $host)."""
    import http.client
    from urllib.parse import urlsplit

    connection = http.client.HTTPConnection(urlsplit(url).netloc, timeout=30)
    try:
        connection.request("GET", path, headers={"Host": "127.0.0.1", **(headers or {})})
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


def logged(nginx, count: int) -> list[str]:
    """The access log once it holds `count` lines (nginx writes a line as a request ends)."""
    deadline = time.monotonic() + 5
    while len(lines := nginx.access_log()) < count and time.monotonic() < deadline:
        time.sleep(0.02)
    return [line.rsplit(" ", 1)[0] for line in lines]  # without the server's time


@pytest.mark.django_db(transaction=True)
def test_a_download_file_is_sent_by_nginx_with_the_servers_headers_ranges_and_validators(live_server, settings):
    from django.core.management import call_command

    from layers.demo import FIXTURES, HERITAGE_PROVENANCE
    from layers.models import HeritageSite
    from layers.services import heritage_import

    heritage_import(path=FIXTURES / "heritage.geojson", provenance=HERITAGE_PROVENANCE, commit=True)
    check = load_check()
    with check.LocalNginx(live_server.url) as nginx:
        settings.LAYER_DOWNLOAD_DIR = nginx.downloads
        settings.DOWNLOADS_ACCEL_REDIRECT_PREFIX = "/_downloads/"
        call_command("layers_write_downloads", "--collection", "heritage-sites", "--format", "csv", stdout=None)
        [written] = nginx.downloads.glob("heritage-sites/csv/*/thessaloniki-heritage-sites.csv")
        expected = written.read_bytes()

        # the server decides the headers and names the file; it sends no bytes
        status, origin, empty = origin_get(live_server.url, DOWNLOAD)
        relative = written.relative_to(nginx.downloads).as_posix()
        assert (status, empty, origin["x-accel-redirect"]) == (200, b"", f"/_downloads/{relative}")

        status, headers, body = nginx.get(DOWNLOAD)
        assert status == 200 and body == expected and "x-accel-redirect" not in headers
        for name in ("etag", "last-modified", "cache-control", "content-disposition", "content-type", "vary"):
            assert headers.get(name) == origin.get(name), name
        assert headers["content-disposition"] == 'attachment; filename="thessaloniki-heritage-sites.csv"'
        assert headers["content-length"] == str(len(expected)) and "x-newer-version" not in headers
        line = logged(nginx, 1)[-1]  # nginx sent the whole file, the server's answer had an empty body
        assert line == f"GET {DOWNLOAD} 200 {len(expected)} upstream=200:0", line

        status, part, data = nginx.get(DOWNLOAD, {"Range": "bytes=10-99"})
        assert (status, data, part["content-range"]) == (206, expected[10:100], f"bytes 10-99/{len(expected)}")
        assert part["etag"] == origin["etag"]
        status, _, data = nginx.get(DOWNLOAD, {"Range": "bytes=10-99", "If-Range": origin["etag"]})
        assert (status, data) == (206, expected[10:100])
        status, _, data = nginx.get(DOWNLOAD, {"Range": "bytes=10-99", "If-Range": '"another-version"'})
        assert (status, data) == (200, expected)

        status, unchanged, data = nginx.get(DOWNLOAD, {"If-None-Match": origin["etag"]})
        assert (status, data, unchanged["etag"]) == (304, b"", origin["etag"])
        assert logged(nginx, 5)[-1] == f"GET {DOWNLOAD} 304 0 upstream=304:0"  # answered by the server

        # from outside, the internal location does not exist
        status, _, data = nginx.get(f"/_downloads/{relative}")
        assert status == 404 and expected not in data

        # the layer changes: the older file is sent by nginx at once, with its own validators and the mark
        HeritageSite.objects.filter(slug="white-tower").update(period="changed")
        status, stale, data = nginx.get(DOWNLOAD)
        assert (status, data, stale["etag"]) == (200, expected, origin["etag"])
        assert stale["x-newer-version"].startswith("preparing") and "max-age=30" in stale["cache-control"]
