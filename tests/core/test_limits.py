"""The limit on citizen writes without an API key (reports, comments, supports): per client address (per
account when signed in), from settings, 429 with Retry-After in each API's error format, nothing stored;
the counts live in PostgreSQL, so that every worker process shares them."""
import os
import subprocess
import sys
import uuid

import psycopg
import pytest
from psycopg import sql as pg_sql
from django.conf import settings as django_settings
from django.middleware.csrf import _get_new_csrf_string, _mask_cipher_secret
from django.test import Client
from django.utils import timezone

from issues.models import Issue
from tests.conftest import PROJECT_ROOT
from tests.issues.test_workspace import report
from issues.api_keys import api_key_create
from core.limits import client_ip
from core.models import RequestCount

pytestmark = pytest.mark.django_db
WHITE_TOWER = {"service_code": "pothole", "lat": "40.6264", "long": "22.9484"}


# A fixed window this long never ends during a test, so no count is cut in two by a window's end.
WINDOW = 10 * 365 * 86400


@pytest.fixture(autouse=True)
def small_limit(settings):
    settings.ANONYMOUS_WRITE_LIMIT = 3
    settings.ANONYMOUS_WRITE_WINDOW_SECONDS = WINDOW


def browser(address="198.51.100.7") -> tuple[Client, dict]:
    """A browser on the site's report form: CSRF cookie and token, from one address."""
    client = Client(enforce_csrf_checks=True, REMOTE_ADDR=address)
    secret = _get_new_csrf_string()
    client.cookies["csrftoken"] = secret
    return client, {"HTTP_X_CSRFTOKEN": _mask_cipher_secret(secret)}


def test_web_form_reports_over_the_limit_are_429_with_retry_after_and_store_nothing():
    client, headers = browser()
    for _ in range(3):
        assert client.post("/open311/v2/requests.json", WHITE_TOWER, **headers).status_code == 201
    before = Issue.objects.count()
    refused = client.post("/open311/v2/requests.json", WHITE_TOWER, **headers)
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= WINDOW
    [error] = refused.json()
    assert error["code"] == 429 and f"at most 3 in {WINDOW // 60} minutes without an API key" in error["description"]
    assert Issue.objects.count() == before


def test_the_429_is_open311_xml_for_an_xml_request():
    client, headers = browser()
    for _ in range(3):
        client.post("/open311/v2/requests.xml", WHITE_TOWER, **headers)
    refused = client.post("/open311/v2/requests.xml", WHITE_TOWER, **headers)
    assert refused.status_code == 429 and refused["Content-Type"].startswith("text/xml") and "Retry-After" in refused
    assert b"<errors><error><code>429</code>" in refused.content


def test_the_limit_is_per_client_address():
    first, first_headers = browser("198.51.100.7")
    second, second_headers = browser("203.0.113.9")
    for _ in range(3):
        first.post("/open311/v2/requests.json", WHITE_TOWER, **first_headers)
    assert first.post("/open311/v2/requests.json", WHITE_TOWER, **first_headers).status_code == 429
    assert second.post("/open311/v2/requests.json", WHITE_TOWER, **second_headers).status_code == 201


def test_comments_and_supports_count_against_the_same_limit_with_drf_retry_after():
    issue = report()
    client, headers = browser()
    assert client.post(f"/api/issues/{issue.pk}/comments", {"text": "one"}, **headers).status_code == 201
    assert client.post(f"/api/issues/{issue.pk}/supports", {"device_id": "phone-1"}, **headers).status_code == 201
    assert client.post("/open311/v2/requests.json", WHITE_TOWER, **headers).status_code == 201
    refused = client.post(f"/api/issues/{issue.pk}/comments", {"text": "four"}, **headers)
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert issue.updates.filter(kind="comment").count() == 1


def test_api_key_clients_have_their_own_limit_not_this_one():
    _key, raw = api_key_create(name="partner app", rate_limit_per_minute=100)
    client = Client(enforce_csrf_checks=True, REMOTE_ADDR="198.51.100.7")
    for _ in range(5):
        assert client.post("/open311/v2/requests.json", {**WHITE_TOWER, "api_key": raw}).status_code == 201


def test_the_limit_comes_from_settings(settings):
    settings.ANONYMOUS_WRITE_LIMIT = 1
    client, headers = browser()
    assert client.post("/open311/v2/requests.json", WHITE_TOWER, **headers).status_code == 201
    assert client.post("/open311/v2/requests.json", WHITE_TOWER, **headers).status_code == 429


def test_behind_a_proxy_the_address_comes_from_x_forwarded_for(settings, rf):
    request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="192.0.2.1, 198.51.100.7")
    assert client_ip(request) == "10.0.0.2"
    settings.CLIENT_IP_PROXY_COUNT = 1
    assert client_ip(request) == "198.51.100.7"  # the address the trusted proxy saw; the rest is the client's say
    assert client_ip(rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="not-an-address")) is None


def run_in_another_process(code: str) -> str:
    """Python in a fresh process on the test database (outside this test's transaction)."""
    database = django_settings.DATABASES["default"]
    url = f"postgis://{database['USER']}:{database['PASSWORD']}@{database['HOST']}:{database['PORT']}/{database['NAME']}"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "gis_portal.settings.test", "DATABASE_URL": url}
    result = subprocess.run([sys.executable, "-c", "import django; django.setup()\n" + code], cwd=PROJECT_ROOT, env=env,
                            capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_the_count_is_shared_by_separate_processes():
    key = f"ip:test-{uuid.uuid4().hex}"
    hit = ("from core.limits import limit_hit\n"
           f"print(limit_hit(scope='shared-test', key='{key}', limit=2, window_seconds={WINDOW}).allowed)\n")
    try:
        outputs = [run_in_another_process(hit) for _ in range(3)]
        assert outputs == ["True", "True", "False"]
        assert RequestCount.objects.get(scope="shared-test", key=key).count == 3  # and this process sees the count
    finally:  # the other processes committed the count: removed on a connection of its own, outside this test's transaction
        database = django_settings.DATABASES["default"]
        with psycopg.connect(host=database["HOST"] or None, port=database["PORT"] or None, user=database["USER"],
                             password=database["PASSWORD"], dbname=database["NAME"], autocommit=True) as conn:
            conn.execute(pg_sql.SQL("DELETE FROM {} WHERE key = %s").format(pg_sql.Identifier(RequestCount._meta.db_table)), [key])


def test_an_api_key_over_its_own_limit_gets_retry_after_too():
    client = Client()
    for attempt in range(2):  # a second go only if the clock's minute turned during the first
        minute = timezone.now().minute
        _key, raw = api_key_create(name=f"small app {attempt}", rate_limit_per_minute=2)
        answers = [client.post("/open311/v2/requests.json", {**WHITE_TOWER, "api_key": raw}) for _ in range(3)]
        if timezone.now().minute == minute:
            break
    assert [a.status_code for a in answers] == [201, 201, 429]
    refused = answers[-1]
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert refused.json()[0]["description"].startswith("api_key: the limit of 2 requests a minute is reached")
