"""A database that does not answer: every kind of request gets a quick 503 in its own format with Retry-After,
and a persistent connection killed under the server is replaced by the next request."""
import json

import pytest

from tests.conftest import run_django

DEAD_DATABASE = {
    "DJANGO_SETTINGS_MODULE": "gis_portal.settings.test",
    "DATABASE_URL": "postgis://nobody:wrong@127.0.0.1:9/nowhere",  # port 9: nothing listens
    "DATABASE_CONNECT_TIMEOUT": "2",
    "DATABASE_UNAVAILABLE_RETRY_AFTER": "7",
}

# name: (method, path, data, headers)
REQUESTS = {
    "open311 list json": ("get", "/open311/v2/requests.json", None, {}),
    "open311 list xml": ("get", "/open311/v2/requests.xml", None, {}),
    "open311 create": ("post", "/open311/v2/requests.json",
                       {"api_key": "k" * 43, "service_code": "pothole", "lat": "40.6264", "long": "22.9484"},
                       {"HTTP_IDEMPOTENCY_KEY": "report-1"}),
    "open311 one request": ("get", "/open311/v2/requests/12.json", None, {}),
    "department queue": ("get", "/api/departments/roads-pavements/queue", None, {"HTTP_AUTHORIZATION": "Token " + "a" * 40}),
    "vector tile": ("get", "/ogc/collections/districts/tiles/WebMercatorQuad/12/1535/2309", None, {}),
    "ogc items": ("get", "/ogc/collections/heritage-sites/items", None, {}),
    "hazard profile": ("get", "/api/hazards/profile?lat=40.6264&lon=22.9484", None, {}),
    "catalogue": ("get", "/api/categories/", None, {}),
    "admin page": ("get", "/admin/issues/issue/", None, {"HTTP_ACCEPT": "text/html"}),
    "health": ("get", "/healthz", None, {}),
}

CLIENT_CODE = """
import json, sys
from django.test import Client
requests = json.loads(sys.argv[1])
client = Client(raise_request_exception=False)
client.cookies["sessionid"] = "x" * 32  # a signed-in browser: its session lives in the database
answers = {}
for name, (method, path, data, headers) in requests.items():
    response = getattr(client, method)(path, data, **headers) if data else getattr(client, method)(path, **headers)
    answers[name] = {"status": response.status_code, "type": response.get("Content-Type"),
                     "retry_after": response.get("Retry-After"), "body": response.content.decode()}
print(json.dumps(answers))
"""


@pytest.fixture(scope="module")
def answers() -> dict:
    """Every request of REQUESTS, made once against a database that refuses connections."""
    result = run_django(
        "import sys; sys.argv[1:] = [" + repr(json.dumps(REQUESTS)) + "]\n" + CLIENT_CODE, **DEAD_DATABASE
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("name", sorted(REQUESTS))
def test_database_down_answers_503_with_retry_after(answers, name):
    answer = answers[name]
    assert answer["status"] == 503, answer
    assert answer["retry_after"] == "7"


@pytest.mark.parametrize("name", ["open311 list json", "open311 create", "open311 one request"])
def test_database_down_open311_json_error_is_the_specs_list(answers, name):
    answer = answers[name]
    assert answer["type"] == "application/json"
    errors = json.loads(answer["body"])
    assert errors[0]["code"] == 503 and "retry in 7 seconds" in errors[0]["description"]


def test_database_down_open311_xml_error_is_the_specs_document(answers):
    answer = answers["open311 list xml"]
    assert answer["type"].startswith("text/xml")
    assert "<errors><error><code>503</code><description>the service is briefly unavailable" in answer["body"]


def test_database_down_create_asks_for_a_retry_with_the_same_idempotency_key(answers):
    assert "same Idempotency-Key" in json.loads(answers["open311 create"]["body"])[0]["description"]


@pytest.mark.parametrize("name", ["vector tile", "ogc items"])
def test_database_down_ogc_error_is_ogc_json(answers, name):
    answer = answers[name]
    assert answer["type"] == "application/json"
    assert json.loads(answer["body"])["code"] == "ServiceUnavailable"


@pytest.mark.parametrize("name", ["department queue", "hazard profile", "catalogue"])
def test_database_down_api_error_is_json_with_detail(answers, name):
    answer = answers[name]
    assert answer["type"] == "application/json"
    assert "retry in 7 seconds" in json.loads(answer["body"])["detail"]


def test_database_down_browser_page_is_a_short_html_503(answers):
    answer = answers["admin page"]
    assert answer["type"].startswith("text/html")
    assert "Briefly unavailable" in answer["body"] and "Server Error" not in answer["body"]


def test_database_down_health_check_names_the_reason(answers):
    assert json.loads(answers["health"]["body"])["reason"].startswith("database unavailable")


# Through Django's WSGI handler, as gunicorn calls it: its request signals run the connection checks that the
# test Client leaves out.
RECONNECT_CODE = """
import psycopg
from wsgiref.util import setup_testing_defaults
from django.core.wsgi import get_wsgi_application
from django.db import connection

application = get_wsgi_application()


def get(path):
    environ = {"PATH_INFO": path, "HTTP_HOST": "127.0.0.1"}
    setup_testing_defaults(environ)
    status = []
    body = application(environ, lambda s, headers: status.append(s))
    b"".join(body)
    body.close()  # the end of the request, as a WSGI server signals it
    return status[0].split()[0]


first = get("/api/categories/")
pid = connection.connection.info.backend_pid  # the persistent connection kept for the next request
settings = connection.settings_dict
with psycopg.connect(host=settings["HOST"], port=settings["PORT"], user=settings["USER"], password=settings["PASSWORD"],
                     dbname=settings["NAME"], autocommit=True) as admin:
    killed = admin.execute("SELECT pg_terminate_backend(%s)", [pid]).fetchone()[0]
second = get("/api/categories/")
now = connection.connection.info.backend_pid if connection.connection is not None else None
print(first, killed, second, now not in (None, pid))
"""


@pytest.mark.django_db
def test_a_persistent_connection_killed_under_the_server_is_replaced_by_the_next_request():
    from django.conf import settings
    from django.db import connection

    url = "postgis://{USER}:{PASSWORD}@{HOST}:{PORT}/{NAME}".format(**connection.settings_dict)
    assert settings.DATABASES["default"]["CONN_MAX_AGE"] > 0  # connections are kept between requests
    result = run_django(RECONNECT_CODE, DJANGO_SETTINGS_MODULE="gis_portal.settings.test", DATABASE_URL=url)
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.split() == ["200", "True", "200", "True"]
