"""Health check, API schema and docs, admin map widgets, and the production settings."""
import json
import os
import re
import secrets
import subprocess
import sys

import pytest
import yaml
from openapi_spec_validator import validate

from tests.conftest import PROJECT_ROOT, run_django

pytestmark = pytest.mark.django_db


def test_healthz_reports_postgres_and_postgis_versions(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert re.match(r"^15\.", body["database"]["postgresql"])
    assert re.match(r"^3\.", body["database"]["postgis"])


def test_healthz_answers_503_with_a_reason_when_the_database_is_down():
    result = run_django(
        "from django.test import Client\n"
        "r = Client().get('/healthz')\n"
        "print(r.status_code, r['Content-Type'], r.content.decode())\n",
        DJANGO_SETTINGS_MODULE="gis_portal.settings.test",
        DATABASE_URL="postgis://nobody:wrong@127.0.0.1:9/nowhere",  # port 9: nothing listens
        DATABASE_CONNECT_TIMEOUT="2",
    )
    assert result.returncode == 0, result.stderr
    status, content_type, body = result.stdout.strip().split(" ", 2)
    assert status == "503"
    assert content_type == "application/json"
    payload = json.loads(body)
    assert payload["status"] == "unavailable"
    assert payload["reason"].startswith("database unavailable")


def test_healthz_refuses_post(client):
    assert client.post("/healthz").status_code == 405


def test_schema_is_valid_openapi_3(client):
    response = client.get("/api/schema/")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    assert schema["openapi"].startswith("3.")
    validate(schema)
    for path in ["/api/districts/", "/api/locate/", "/api/categories/", "/api/departments/", "/api/routing-rules/"]:
        assert path in schema["paths"], path


def test_api_docs_load_their_assets_from_this_server(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert any("swagger-ui-bundle.js" in a for a in assets)
    assert all(a.startswith("/static/") for a in assets), assets


def test_admin_district_page_has_a_local_map_widget(admin_client):
    from layers.models import District

    district = District.objects.get(code="D1")
    response = admin_client.get(f"/admin/layers/district/{district.pk}/change/")
    assert response.status_code == 200
    html = response.content.decode()
    scripts = re.findall(r'<script[^>]+src="([^"]+)"', html)
    styles = re.findall(r'<link[^>]+href="([^"]+\.css)"', html)
    assert any("leaflet/leaflet.js" in s for s in scripts)
    assert all(s.startswith(("/static/", "/admin/")) for s in scripts + styles), scripts + styles
    assert any("leaflet.draw" in s for s in scripts)


@pytest.mark.parametrize(
    "url",
    [
        "/admin/layers/municipality/", "/admin/layers/district/", "/admin/layers/districtpiece/",
        "/admin/layers/municipalitypiece/", "/admin/issues/department/", "/admin/issues/category/",
        "/admin/issues/routingrule/", "/admin/issues/issue/", "/admin/issues/issueupdate/", "/admin/issues/apikey/",
        "/admin/issues/support/", "/admin/issues/notification/", "/admin/issues/idempotencyrecord/",
        "/admin/core/requestcount/", "/admin/axes/accessattempt/", "/admin/layers/place/", "/admin/layers/placename/",
        "/admin/issues/departmentmembership/", "/admin/issues/watcher/", "/admin/authtoken/tokenproxy/",
        "/admin/layers/heritagesite/", "/admin/layers/publicservice/", "/admin/layers/servicepoint/",
        "/admin/hazards/hazardlayer/", "/admin/hazards/hazardzone/",
    ],
)
def test_admin_lists_every_model(admin_client, url):
    assert admin_client.get(url).status_code == 200


def test_production_settings_pass_check_deploy_without_warnings():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update(
        DJANGO_SETTINGS_MODULE="gis_portal.settings.production",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="gis.thessaloniki.example",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=180,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    "env, message",
    [
        ({"ALLOWED_HOSTS": "gis.example"}, "SECRET_KEY must be set"),
        ({"SECRET_KEY": "k9-Zq" * 12}, "ALLOWED_HOSTS must list"),
        ({"SECRET_KEY": "k9-Zq" * 12, "ALLOWED_HOSTS": "gis.example", "DEBUG": "maybe"}, "DEBUG must be true or false"),
    ],
)
def test_production_settings_refuse_a_missing_or_bad_variable(env, message):
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "ALLOWED_HOSTS", "DEBUG"}}
    clean.update(env, DJANGO_SETTINGS_MODULE="gis_portal.settings.production")
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=PROJECT_ROOT, env=clean, capture_output=True, text=True, timeout=180
    )
    assert result.returncode != 0
    assert message in result.stderr


def test_home_page_links_to_the_api_docs_in_greek_by_default_and_in_english_when_asked(client):
    greek = client.get("/").content.decode()
    assert '<html lang="el">' in greek and 'href="/api/docs/"' in greek and "Τεκμηρίωση API" in greek
    english = client.get("/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9").content.decode()
    assert '<html lang="en">' in english and "API documentation" in english and "Τεκμηρίωση API" not in english


def test_language_switch_keeps_the_page_and_remembers_the_choice(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert '<html lang="en">' in client.get("/").content.decode()


def test_pages_load_scripts_and_styles_from_this_server_only_and_nothing_inline(client):
    import re

    html = client.get("/").content.decode()
    assets = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html)
    assert assets and all(a.startswith("/") and not a.startswith("//") for a in assets), assets
    assert not re.search(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", html)  # no inline script
    assert "<style" not in html and " style=" not in html


def test_admin_issue_page_has_a_local_map_widget(admin_client):
    from django.contrib.gis.geos import Point

    from issues.models import Category
    from issues.services.reporting import issue_report

    issue = issue_report(category=Category.objects.get(service_code="pothole"), point=Point(22.9484, 40.6264, srid=4326),
                         actor="test").issue
    html = admin_client.get(f"/admin/issues/issue/{issue.pk}/change/").content.decode()
    assert "/static/leaflet/leaflet.js" in html and "reported" in html  # the map and the history inline


def test_admin_creates_an_api_key_and_shows_it_once(admin_client):
    from issues.api_keys import api_key_for
    from issues.models import ApiKey

    response = admin_client.post("/admin/issues/apikey/add/", {"name": "Partner app", "rate_limit_per_minute": 30, "active": "on"},
                                 follow=True)
    assert response.status_code == 200
    shown = [str(m) for m in response.context["messages"] if "The new key is" in str(m)]
    assert len(shown) == 1
    raw = shown[0].split("The new key is ")[1].split(" ")[0]
    assert api_key_for(raw) == ApiKey.objects.get(name="Partner app")
