"""SQL injection through every parameter that reaches a query (CQL2 filters, property filters, Open311 and
queue filters, sort and ordering, lookups by code), and path traversal through layer, tile and export
names. Never a 5xx, never a file, and afterwards every table is still there, unchanged."""
import json

import pytest
from django.db import connection
from django.test import Client
from rest_framework.authtoken.models import Token

from issues.api_keys import api_key_create
from tests.conftest import FINGERPRINT_APPS, database_fingerprint
from tests.issues.test_workspace import report

pytestmark = pytest.mark.django_db

INJECTIONS = [
    "' OR '1'='1", "'; DROP TABLE issues_issue; --", "1; SELECT pg_sleep(5)", '" OR ""="', "1 UNION SELECT password FROM auth_user",
    "$$; DROP TABLE layers_district; $$", "%' OR 1=1 --", ") OR (1=1", "pothole' --", "name_en\" = 'x' OR 1=1 --",
]
# (path, parameter): every parameter below is sent each injection in turn
PUBLIC_PARAMETERS = [
    ("/ogc/collections/heritage-sites/items", "filter"), ("/ogc/collections/heritage-sites/items", "name_en"),
    ("/ogc/collections/heritage-sites/items", "kind"), ("/ogc/collections/heritage-sites/items", "sortby"),
    ("/ogc/collections/public-issues/items", "service_code"), ("/ogc/collections/public-issues/items", "datetime"),
    ("/ogc/collections/heritage-sites/items", "bbox"), ("/ogc/collections/heritage-sites/items", "crs"),
    ("/open311/v2/requests.json", "service_code"), ("/open311/v2/requests.json", "status"),
    ("/open311/v2/requests.json", "service_request_id"), ("/open311/v2/requests.json", "start_date"),
    ("/open311/v2/requests.json", "bbox"), ("/open311/v2/requests.json", "radius"),
    ("/open311/v2/servicerequestupdates.json", "service_request_id"), ("/api/issues/nearby", "service_code"),
    ("/api/hazards/profile", "layer"), ("/api/hazards/area", "district"), ("/api/hazards/districts", "kind"),
    ("/api/hazards/exposure", "layer"), ("/api/hazards/exposure", "collections"), ("/api/locate/", "lat"),
]
STAFF_PARAMETERS = [
    ("/api/departments/roads-pavements/queue", name)
    for name in ("status", "category", "district", "q", "sort", "priority", "bbox", "created_from", "page")
] + [("/api/stats/kpis", name) for name in ("department", "district", "category", "from")] + [
    ("/api/stats/hotspots", "eps_m"), ("/api/stats/heatmap", "category")]
PATH_LOOKUPS = ["/api/districts/{}/", "/api/categories/{}/", "/ogc/collections/heritage-sites/items/{}",
                "/ogc/collections/{}/items", "/open311/v2/requests/{}.json", "/open311/v2/services/{}.json", "/api/hazards/{}/legend"]


def body_of(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def assert_tables_intact(before):
    with connection.cursor() as cursor:
        for table in before:
            cursor.execute("SELECT to_regclass(%s)", [table])
            assert cursor.fetchone()[0] is not None, f"{table} is gone"
    assert database_fingerprint() == before


@pytest.fixture
def staff_client(django_user_model):
    token = Token.objects.create(user=django_user_model.objects.create_superuser("inj-admin", password="pw-123456"))
    return Client(HTTP_AUTHORIZATION=f"Token {token.key}")


def test_sql_injection_in_public_parameters_is_a_4xx_or_finds_nothing():
    report()
    before = database_fingerprint()
    for path, name in PUBLIC_PARAMETERS:
        for attack in INJECTIONS:
            params = {name: attack, **({"layer": "flood-t100"} if name == "collections" else {})}
            response = Client().get(path, params)
            assert response.status_code in (200, 400, 404), (path, name, attack, response.status_code)
            if response.status_code == 200 and path.startswith("/ogc/"):
                assert json.loads(body_of(response))["numberMatched"] == 0, (path, name, attack)
    assert_tables_intact(before)


def test_sql_injection_in_staff_filters_and_sorting_is_a_4xx_or_finds_nothing(staff_client):
    report()
    before = database_fingerprint()
    for path, name in STAFF_PARAMETERS:
        for attack in INJECTIONS:
            response = staff_client.get(path, {name: attack})
            assert response.status_code in (200, 400), (path, name, attack, response.status_code)
            if response.status_code == 200 and "queue" in path:
                assert response.json()["numberMatched"] == 0, (name, attack)
    assert_tables_intact(before)


def test_sql_injection_in_path_lookups_is_a_404():
    before = database_fingerprint()
    for template in PATH_LOOKUPS:
        for attack in INJECTIONS:
            response = Client().get(template.format(attack))
            assert response.status_code in (400, 404), (template, attack, response.status_code)
    assert_tables_intact(before)


def test_sql_injection_in_a_cql2_json_filter_stays_a_value():
    before = database_fingerprint()
    for attack in INJECTIONS:
        document = {"op": "=", "args": [{"property": "name_en"}, attack]}
        response = Client().get("/ogc/collections/heritage-sites/items", {"filter": json.dumps(document), "filter-lang": "cql2-json"})
        assert response.status_code == 200 and json.loads(body_of(response))["numberMatched"] == 0
        column = {"op": "=", "args": [{"property": attack}, "x"]}
        response = Client().get("/ogc/collections/heritage-sites/items", {"filter": json.dumps(column), "filter-lang": "cql2-json"})
        assert response.status_code == 400 and "is not a queryable" in response.json()["description"]
    assert_tables_intact(before)


def test_sql_injection_in_a_report_is_stored_as_text():
    attack = "'); DROP TABLE issues_issue; --"
    _key, raw = api_key_create(name="app")
    response = Client().post("/open311/v2/requests.json", {"api_key": raw, "service_code": "pothole", "lat": "40.6264",
                                                            "long": "22.9484", "description": attack, "first_name": attack})
    assert response.status_code == 201
    issue_id = response.json()[0]["service_request_id"]
    assert Client().get(f"/open311/v2/requests/{issue_id}.json").json()[0]["description"] == attack


TRAVERSALS = ["../", "..%2F", "%2e%2e%2f", "..%252f", "....//", "..\\", "%2e%2e/", "..%c0%af", "/etc/passwd#", "%00../"]
TRAVERSAL_PATHS = [
    "/api/hazards/{t}{t}etc/passwd/legend", "/api/hazards/{t}{t}gis_portal/tiles/1/0/0.png", "/api/hazards/flood-t100/tiles/{t}1/0/0.png",
    "/ogc/collections/{t}{t}etc/passwd", "/ogc/collections/{t}{t}etc/passwd/items",
    "/ogc/collections/districts/tiles/WebMercatorQuad/{t}1/0/0", "/ogc/collections/{t}districts/tiles/WebMercatorQuad/tilejson.json",
    "/ogc/collections/districts/items/{t}{t}etc/passwd", "/open311/v2/services/{t}{t}etc/passwd.json",
    "/open311/v2/tokens/{t}{t}etc/passwd.xml", "/media/{t}{t}gis_portal/settings/base.py", "/static/{t}{t}manage.py",
    "/api/stats/kpis?format={t}{t}etc/passwd", "/api/districts/{t}{t}etc/passwd/",
]
FILE_CONTENT = [b"root:x:0:0", b"SECRET_KEY", b"import ", b"#!/usr/bin/env", b"DATABASE_URL"]


def test_path_traversal_in_layer_tile_and_export_names_is_404_or_400_never_a_file(staff_client):
    for template in TRAVERSAL_PATHS:
        for traversal in TRAVERSALS:
            path = template.format(t=traversal)
            for client in (Client(), staff_client):
                response = client.get(path)
                assert response.status_code in (400, 404), (path, response.status_code)
                content = body_of(response)
                assert not any(marker in content for marker in FILE_CONTENT), path
                assert response["Content-Type"].split(";")[0] in ("application/json", "text/html", "text/xml"), path


def test_fingerprint_covers_every_table_a_request_could_change():
    from django.apps import apps

    tables = {m._meta.db_table for app in FINGERPRINT_APPS for m in apps.get_app_config(app).get_models()}
    assert {"issues_issue", "issues_issueupdate", "layers_district", "auth_user", "hazards_hazardlayer"} <= tables
    assert set(database_fingerprint()) == tables
