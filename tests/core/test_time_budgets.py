"""Time budgets: a public query that runs past its statement timeout is cancelled by PostgreSQL and answered
503 with Retry-After in the API's own error shape; staff work has a longer budget; the connection serves
the next request normally.

The slow query is a real user path: a CQL2 filter with a leading-wildcard LIKE (no index can help) over a
layer of 20,000 heritage sites made in the test, under a public budget of 1 ms."""
import pytest
from django.db import connection

from tests.support.staff_accounts import staff_accounts

pytestmark = pytest.mark.django_db
SLOW = {"filter": "description_en LIKE '%no such words%'", "limit": "10"}


@pytest.fixture
def many_sites():
    with connection.cursor() as cursor:
        cursor.execute("""
            INSERT INTO layers_heritagesite (slug, name_el, name_en, kind, period, unesco_component, description_el,
                                             description_en, image_url, geom, provenance, updated_at)
            SELECT 'generated-' || n, 'Μνημείο ' || n, 'Site ' || n, 'monument', '', false, '',
                   repeat('a long description of a generated site ', 20), '',
                   ST_SetSRID(ST_MakePoint(22.90 + (n % 1000) * 0.0001, 40.60 + (n / 1000) * 0.0001), 4326), 'test', now()
            FROM generate_series(1, 20000) AS n""")


@pytest.fixture
def tight_public_budget(settings):
    settings.STATEMENT_TIMEOUT_PUBLIC_MS = 1
    settings.STATEMENT_TIMEOUT_RETRY_AFTER = 7
    yield
    with connection.cursor() as cursor:  # the test's connection goes on under the default again
        cursor.execute("SET statement_timeout = 0")
    connection.statement_timeout_set = None


def test_a_public_query_out_of_time_is_503_with_retry_after_in_the_ogc_shape(client, many_sites, tight_public_budget):
    response = client.get("/ogc/collections/heritage-sites/items", SLOW)
    assert response.status_code == 503 and response["Retry-After"] == "7"
    body = response.json()
    assert body["code"] == "ServiceUnavailable"
    assert "more than the 0.001 s" in body["description"] and "narrow it" in body["description"]
    assert response["Cache-Control"] == "no-store"


def test_the_same_query_within_the_budget_answers(client, many_sites, settings):
    settings.STATEMENT_TIMEOUT_PUBLIC_MS = 60_000
    response = client.get("/ogc/collections/heritage-sites/items", SLOW)
    assert response.status_code == 200


def test_staff_work_has_the_longer_budget(client, many_sites, tight_public_budget, django_user_model):
    client.force_login(staff_accounts(django_user_model, roles=("planner",))["planner"])
    response = client.get("/ogc/collections/heritage-sites/items", SLOW)
    assert response.status_code == 200


def test_the_connection_serves_the_next_request_after_a_timeout(client, many_sites, tight_public_budget, settings):
    assert client.get("/ogc/collections/heritage-sites/items", SLOW).status_code == 503
    settings.STATEMENT_TIMEOUT_PUBLIC_MS = 60_000
    assert client.get("/ogc/collections/heritage-sites/items", {"limit": "1"}).status_code == 200
