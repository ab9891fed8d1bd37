"""The connection pool of `make run`'s settings (core/connection_pool.py): a connection goes back to the pool without
the statement timeout a request set (core/time_budgets.py), so the next borrower, another request, a job or a scenario
thread, never runs under it; and the test settings keep Django's own connections (no pool under pytest)."""
import json
import os
import subprocess
import sys

import pytest
from django.db import connection, connections

from core.connection_pool import use_pool
from core.time_budgets import set_statement_timeout
from tests.conftest import PROJECT_ROOT

pytestmark = pytest.mark.django_db


@pytest.fixture
def pooled():
    """The alias `pooled` on the test database, borrowing from a pool of one connection: every borrow gets the same
    connection, as a busy worker's next request may."""
    settings_dict = {**connection.settings_dict, "OPTIONS": dict(connection.settings_dict["OPTIONS"])}
    use_pool({"pooled": settings_dict}, min_size=1, max_size=1, timeout=5)
    wrapper = type(connections["default"])(settings_dict, alias="pooled")
    connections["pooled"] = wrapper
    yield wrapper
    wrapper.close()
    wrapper.close_pool()
    del connections["pooled"]


def statement_timeout(wrapper) -> str:
    with wrapper.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        return cursor.fetchone()[0]


def end_of_request(wrapper) -> None:
    wrapper.close()  # what Django does at the end of a request with CONN_MAX_AGE 0: the connection goes back to the pool


def test_a_pooled_connection_comes_back_without_the_previous_requests_timeout(pooled):
    set_statement_timeout(60_000, using="pooled")  # a staff request's budget
    raw = pooled.connection
    assert statement_timeout(pooled) == "1min"
    end_of_request(pooled)
    pooled.ensure_connection()  # the next request (or a job, or a scenario thread) borrows it
    assert pooled.connection is raw
    assert statement_timeout(pooled) == "0"


def test_the_same_budget_is_set_again_on_a_connection_borrowed_again(pooled):
    set_statement_timeout(5_000, using="pooled")
    end_of_request(pooled)
    set_statement_timeout(5_000, using="pooled")  # the pool reset it: the middleware must not take it as still set
    assert statement_timeout(pooled) == "5s"


def test_a_refused_pool_size_names_both_settings():
    with pytest.raises(ValueError, match="DATABASE_POOL_MIN_SIZE <= DATABASE_POOL_MAX_SIZE, got 5 and 2"):
        use_pool({}, min_size=5, max_size=2, timeout=5)


SHOW_DATABASES = """
from django.conf import settings
print(json.dumps({alias: [d["CONN_MAX_AGE"], {k: v for k, v in d["OPTIONS"].get("pool", {}).items() if k != "reset"}]
                  for alias, d in settings.DATABASES.items()}))
"""


def test_make_run_pools_connections_and_the_tests_keep_djangos_own(settings):
    # the settings module alone (no django.setup(): the apps need not load to read DATABASES)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "gis_portal.settings.local",
           "DATABASE_REPLICA_URL": "postgis://gis_portal@127.0.0.1:5999/replica"}
    result = subprocess.run([sys.executable, "-c", "import json\n" + SHOW_DATABASES], cwd=PROJECT_ROOT, env=env,
                            capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr[-2000:]
    local = json.loads(result.stdout.strip().splitlines()[-1])
    assert local["default"] == [0, {"min_size": 1, "max_size": 4, "timeout": 2, "name": "gis-portal-default"}]
    assert local["replica"][1]["name"] == "gis-portal-replica"  # the replica's connections from a pool of their own
    assert list(settings.DATABASES) == ["default"] and "pool" not in settings.DATABASES["default"]["OPTIONS"]
    assert settings.DATABASES["default"]["CONN_MAX_AGE"] == 60
