"""Security headers on every kind of response, the Content-Security-Policy and its per-view relaxation, the
pages that need inline code (Swagger UI, the admin's map widgets, the home page) working under it, HSTS in
production, and no secret in the logs."""
import re

import pytest
from django.http import HttpResponse
from django.test import Client, RequestFactory

from csp.decorators import csp_update

from core.printable_maps import add_nonce
from gis_portal.settings.env import url_origin
from tests.core.test_platform import run_django
from tests.issues.test_workspace import report

pytestmark = pytest.mark.django_db

POLICY = {
    "default-src": "'self'", "script-src": "'self'", "style-src": "'self'", "connect-src": "'self'", "font-src": "'self'",
    "object-src": "'none'", "base-uri": "'self'", "frame-ancestors": "'none'", "form-action": "'self'",
}
# One of each kind of answer: HTML pages, JSON, Open311 XML, streamed GeoJSON, vector and raster tiles,
# errors of every API, a page that does not exist, a refused method, a refused CSRF check.
RESPONSES = [
    ("get", "/", 200), ("get", "/healthz", 200), ("get", "/api/docs/", 200), ("get", "/api/schema/", 200),
    ("get", "/api/districts/", 200), ("get", "/open311/v2/services.xml", 200), ("get", "/open311/v2/requests.json", 200),
    ("get", "/ogc/collections/districts/items", 200), ("get", "/ogc/collections/districts/tiles/WebMercatorQuad/12/1541/2309", 200),
    ("get", "/api/hazards/pga-475/tiles/12/2309/1539.png", 200), ("get", "/admin/login/", 200),
    ("get", "/api/locate/?lat=north", 400), ("get", "/api/nothing-here", 404), ("get", "/ogc/nothing-here", 404),
    ("get", "/open311/v2/nothing.xml", 404), ("get", "/nothing-here", 404), ("post", "/ogc/collections", 405),
    ("post", "/healthz", 403),
    ("get", "/api/departments/roads-pavements/queue", 401), ("post", "/admin/login/", 403),
]


def parse_policy(header: str) -> dict[str, list[str]]:
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


@pytest.mark.parametrize("method, path, status", RESPONSES)
def test_every_response_carries_the_security_headers(method, path, status):
    response = getattr(Client(enforce_csrf_checks=True), method)(path)
    assert response.status_code == status, path
    policy = parse_policy(response["Content-Security-Policy"])
    for directive, source in POLICY.items():
        assert policy[directive][0] == source, (directive, policy[directive])
    assert policy["img-src"][:3] == ["'self'", "data:", "blob:"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert "geolocation=(self)" in response["Permissions-Policy"]


def test_the_basemap_tile_server_is_allowed_for_images_and_nothing_else(settings):
    origin = url_origin(settings.BASEMAP_TILES_URL)
    assert origin == "https://tile.openstreetmap.org"
    policy = parse_policy(Client().get("/")["Content-Security-Policy"])
    assert origin in policy["img-src"]
    assert all(origin not in sources for directive, sources in policy.items() if directive != "img-src")


@pytest.mark.parametrize("url, origin", [
    ("https://tiles.thessaloniki.gr/{z}/{x}/{y}.png", "https://tiles.thessaloniki.gr"),
    ("https://{s}.tile.example.org:8443/{z}/{x}/{y}.png", "https://*.tile.example.org:8443"),
    ("/tiles/{z}/{x}/{y}.png", None),  # the server's own: 'self' covers it
])
def test_the_basemap_origin_is_derived_from_its_url(url, origin):
    assert url_origin(url) == origin


def test_without_inline_code_a_page_gets_no_nonce():
    policy = parse_policy(Client().get("/api/districts/")["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"] and policy["style-src"] == ["'self'"]


def inline_blocks(html: str) -> list[str]:
    """The opening tags of inline <script> and <style> elements (not JSON data blocks, not scripts with src)."""
    tags = re.findall(r"<(?:script|style)\b[^>]*>", html)
    return [t for t in tags if "src=" not in t and 'type="application/json"' not in t]


def assert_inline_code_carries_the_nonce(response):
    policy = parse_policy(response["Content-Security-Policy"])
    nonces = {s for s in policy["script-src"] if s.startswith("'nonce-")}
    assert len(nonces) == 1 and nonces == {s for s in policy["style-src"] if s.startswith("'nonce-")}
    nonce = nonces.pop()[len("'nonce-"):-1]
    html = response.content.decode()
    blocks = inline_blocks(html)
    assert blocks, "the page has inline code"
    for tag in blocks:
        assert f'nonce="{nonce}"' in tag, tag
    assert not re.search(r"\son[a-z]+=\"", html), "inline event handlers are blocked by the policy"
    return nonce


def test_swagger_ui_runs_under_the_policy_with_a_nonce_per_response():
    first = assert_inline_code_carries_the_nonce(Client().get("/api/docs/"))
    second = assert_inline_code_carries_the_nonce(Client().get("/api/docs/"))
    assert first != second


def test_the_admin_map_widget_runs_under_the_policy(admin_client):
    issue = report()
    response = admin_client.get(f"/admin/issues/issue/{issue.pk}/change/")
    assert response.status_code == 200 and "leaflet/leaflet.js" in response.content.decode()
    assert_inline_code_carries_the_nonce(response)


def test_the_citizen_map_has_no_inline_code_and_its_policy_no_nonce():
    response = Client().get("/")
    assert response.status_code == 200
    assert inline_blocks(response.content.decode()) == []
    assert "nonce-" not in response["Content-Security-Policy"]


def test_a_view_adds_sources_for_its_own_responses_only():
    @csp_update({"img-src": ["https://wms.example.org"]})
    def page(request):
        return HttpResponse(add_nonce("<html><script>map()</script><style>p{}</style><script src=/s.js></script></html>", request))

    from csp.middleware import CSPMiddleware

    request = RequestFactory().get("/map")
    response = CSPMiddleware(page)(request)
    policy = parse_policy(response["Content-Security-Policy"])
    nonce = str(request.csp_nonce)
    assert policy["img-src"][-1] == "https://wms.example.org"
    assert f"'nonce-{nonce}'" in policy["script-src"] and f"'nonce-{nonce}'" in policy["style-src"]
    assert response.content.decode().count(f'nonce="{nonce}"') == 3  # both inline blocks and the script tag
    assert "https://wms.example.org" not in Client().get("/")["Content-Security-Policy"]


def test_production_sends_hsts_and_secure_cookies():
    result = run_django(
        "from django.test import Client\n"
        "r = Client().get('/healthz', secure=True)\n"
        "print(r['Strict-Transport-Security'])\n"
        "from django.conf import settings\n"
        "print(settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE, settings.MIDDLEWARE.index("
        "'whitenoise.middleware.WhiteNoiseMiddleware') > settings.MIDDLEWARE.index('csp.middleware.CSPMiddleware'))\n",
        DJANGO_SETTINGS_MODULE="gis_portal.settings.production", SECRET_KEY="k9-Zq" * 12, ALLOWED_HOSTS="testserver",
    )
    assert result.returncode == 0, result.stderr
    hsts, cookies = result.stdout.strip().splitlines()
    assert hsts == "max-age=31536000; includeSubDomains; preload"
    assert cookies == "True True True"  # and static files from WhiteNoise get the headers too


# --- no secret in the logs -------------------------------------------------------------------


def test_no_secret_reaches_the_production_log():
    """A failing Open311 create whose error text holds the API key and a password, sent with an API token;
    a database error holding the connection URL; the SECRET_KEY: all logged by the production configuration."""
    secret_key = "k9-Zq" * 12
    result = run_django(
        "import logging\n"
        "from django.test import Client\n"
        "from issues.api_keys import api_key_create\n"
        "import issues.open311.views as views\n"
        "key, raw = api_key_create(name='log test')\n"
        "def boom(**kwargs): raise RuntimeError('insert failed for api_key=' + raw + ' password=hunter22')\n"
        "views.report_submit = boom\n"
        "try:\n"
        "    r = Client(raise_request_exception=False).post('/open311/v2/requests.json', {'api_key': raw, 'service_code': 'pothole',\n"
        "        'lat': '40.6264', 'long': '22.9484'}, HTTP_AUTHORIZATION='Token 0123456789abcdef0123', secure=True)\n"
        "    print('STATUS', r.status_code)\n"
        "    logging.getLogger('django.db').error('cannot connect to postgis://gis:s3cret-pw@db:5432/gis with %s', "
        "'Authorization: Token 0123456789abcdef0123')\n"
        "    from django.conf import settings\n"
        "    logging.getLogger('x').warning('settings dump: %s', settings.SECRET_KEY)\n"
        "    print('KEY', raw)\n"
        "finally:\n"
        "    key.delete()\n",
        DJANGO_SETTINGS_MODULE="gis_portal.settings.production", SECRET_KEY=secret_key, ALLOWED_HOSTS="testserver",
        DATABASE_URL=_test_database_url(),
    )
    assert result.returncode == 0, result.stderr
    raw_key = result.stdout.split("KEY ")[1].strip()
    assert "STATUS 500" in result.stdout
    log = result.stderr
    assert "Open311 request failed" in log and "RuntimeError" in log  # the failure is logged ...
    for secret in (raw_key, "hunter22", secret_key, "s3cret-pw", "0123456789abcdef0123"):
        assert secret not in log, secret  # ... without its secrets
    assert log.count("[redacted]") >= 5


def _test_database_url() -> str:
    from django.conf import settings

    database = settings.DATABASES["default"]
    return f"postgis://{database['USER']}:{database['PASSWORD']}@{database['HOST']}:{database['PORT']}/{database['NAME']}"
