"""Time budgets on the real read replica (scripts/start_replica.sh), through a server reading from it: the replica's
connection runs under the request's budget (public or staff), a read that runs out of time there is answered 503
with Retry-After and never run again on the primary, a read cancelled by the replica's recovery is run again on
the primary, and a replica that is down still hands its reads to the primary.

What each database ran is read from its own log: the copy of the test database logs every statement
(log_statement = all, set on the database, so on the primary and on the replica alike), and each request's
statements carry a word of its own in their filter. The slow read is a real user path: a CQL2 filter with a
leading-wildcard LIKE (no index can help) over 20,000 heritage sites with long descriptions, under a public
budget of 100 ms (the scan takes several times that; every other query of the request a few ms)."""
import re
import secrets
import subprocess
import threading
import uuid
from urllib.parse import urlsplit

import psycopg
import pytest
from psycopg import sql as pg_sql

from tests.conftest import run_django
from tests.support.generated_sites import generated_sites
from tests.support.replica_server import database_copy_on_replica, sql, start_replica, start_server, stop_replica, wait_for
from tests.support.browser import _drop_database, _free_port

pytestmark = pytest.mark.django_db
PUBLIC_MS = 100
STAFF_MS = 60_000
RETRY_AFTER = 7
ITEMS = "/ogc/collections/heritage-sites/items"
LOG_ENTRY = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", re.MULTILINE)


def execute(url: str, statement) -> None:
    with psycopg.connect(url.replace("postgis://", "postgresql://", 1), autocommit=True) as conn:
        conn.execute(statement)


def log_file(port: int) -> str:
    """The log file of the Debian cluster on this port (pg_lsclusters)."""
    for line in subprocess.run(["pg_lsclusters", "-h"], capture_output=True, text=True, check=True).stdout.splitlines():
        fields = line.split()
        if fields[2] == str(port):
            return fields[6]
    raise AssertionError(f"no cluster on port {port}")


class StatementLog:
    """The statements one database of one cluster logged from a point on."""

    def __init__(self, path: str, database: str):
        self.path, self.database = path, database
        self.offset = 0

    def mark(self) -> None:
        with open(self.path, "rb") as log:
            self.offset = log.seek(0, 2)

    def entries(self) -> list[str]:
        with open(self.path, "rb") as log:
            log.seek(self.offset)
            text = log.read().decode("utf-8", "replace")
        starts = [m.start() for m in LOG_ENTRY.finditer(text)] + [len(text)]
        return [entry for entry in (text[a:b] for a, b in zip(starts, starts[1:])) if f"@{self.database} " in entry]

    def statements(self) -> list[str]:
        return [entry for entry in self.entries() if "statement: " in entry]

    def ran(self, word: str) -> list[str]:
        return [entry for entry in self.statements() if word in entry]


def backend(entry: str) -> str:
    return re.search(r"\[(\d+)\]", entry).group(1)


def budget_set(statements: list[str], pid: str) -> list[str]:
    """The statement timeouts the backend `pid` was given."""
    ran = "".join(statement for statement in statements if backend(statement) == pid)
    return re.findall(r"set_config\('statement_timeout', '(\d+ms)'", ran)


@pytest.fixture(scope="module")
def budget_server(replica_cluster, django_db_setup, django_db_blocker):
    """A copy of the test database with 20,000 heritage sites of long descriptions and a signed-in account (staff
    work, whatever the path), every statement logged; gunicorn on it reading from the replica, public budget
    PUBLIC_MS."""
    copy, primary_url, replica_url = database_copy_on_replica("replica_budget", ("layers_load_demo",))
    with psycopg.connect(primary_url.replace("postgis://", "postgresql://", 1), autocommit=True) as conn:
        generated_sites(conn.cursor(), 20000, repeats=500)
    # no dead rows left for autovacuum to clean up (its replay would cancel replica reads at the wrong moment)
    execute(primary_url, "VACUUM ANALYZE layers_heritagesite")
    execute(primary_url, pg_sql.SQL("ALTER DATABASE {} SET log_statement = 'all'").format(pg_sql.Identifier(copy)))
    secret_key = secrets.token_urlsafe(50)
    signed_in = run_django(
        "from django.contrib.auth import get_user_model, SESSION_KEY, BACKEND_SESSION_KEY, HASH_SESSION_KEY\n"
        "from django.contrib.sessions.backends.db import SessionStore\n"
        "user = get_user_model().objects.create_user('budget-staff', password='pw-123456')\n"
        "session = SessionStore()\n"
        "session[SESSION_KEY] = str(user.pk)\n"
        "session[BACKEND_SESSION_KEY] = 'django.contrib.auth.backends.ModelBackend'\n"
        "session[HASH_SESSION_KEY] = user.get_session_auth_hash()\n"
        "session.create()\n"
        "print(session.session_key)",
        DATABASE_URL=primary_url, DJANGO_SETTINGS_MODULE="gis_portal.settings.dev", SECRET_KEY=secret_key)
    assert signed_in.returncode == 0, signed_in.stderr[-2000:]
    session_key = signed_in.stdout.strip().splitlines()[-1]
    generated = "SELECT count(*) FROM layers_heritagesite WHERE slug LIKE 'generated-%'"
    wait_for(lambda: sql(replica_url, generated)[0][0] == 20000, what="the sites on the replica")
    process, server = start_server(database_url=primary_url, replica_url=replica_url, port=_free_port(), env={
        "SECRET_KEY": secret_key, "STATEMENT_TIMEOUT_PUBLIC_MS": str(PUBLIC_MS),
        "STATEMENT_TIMEOUT_STAFF_MS": str(STAFF_MS), "STATEMENT_TIMEOUT_RETRY_AFTER": str(RETRY_AFTER),
        "REPLICA_CHECK_SECONDS": "0", "REPLICA_RETRY_SECONDS": "1"})
    server.session_cookie = {"sessionid": session_key}
    server.primary_log = StatementLog(log_file(int(re.search(r":(\d+)/", primary_url).group(1))), copy)
    server.replica_log = StatementLog(log_file(urlsplit(replica_url).port), copy)
    yield server
    process.terminate()
    process.wait(timeout=30)
    start_replica()  # left running, as the last test stops it
    _drop_database(copy)


def slow(word: str) -> dict:
    """A filter no index helps with: every description read to the end."""
    return {"filter": f"description_en LIKE '%{word}%'", "limit": "10"}


def quick(word: str) -> dict:
    return {"filter": f"name_en = '{word}'", "limit": "10"}


def requested(server, params: dict, **kwargs):
    server.primary_log.mark()
    server.replica_log.mark()
    return server.get(ITEMS, params=params, **kwargs)


def test_a_read_out_of_time_on_the_replica_is_503_and_not_run_again_on_the_primary(budget_server):
    server, word = budget_server, uuid.uuid4().hex
    response = requested(server, slow(word))
    assert response.status_code == 503, response.text
    assert response.headers["Retry-After"] == str(RETRY_AFTER) and response.headers["Cache-Control"] == "no-store"
    assert server.read_from(response) == "replica"
    body = response.json()
    assert body["code"] == "ServiceUnavailable" and f"more than the {PUBLIC_MS / 1000:g} s" in body["description"]
    assert server.replica_log.ran(word), "the replica did not run the read"
    assert server.primary_log.ran(word) == []


def test_the_replica_connection_carries_the_public_budget(budget_server):
    server, word = budget_server, uuid.uuid4().hex
    response = requested(server, quick(word))
    assert (response.status_code, server.read_from(response)) == (200, "replica")
    assert response.json()["numberMatched"] == 0
    [first, *_] = server.replica_log.ran(word)
    assert budget_set(server.replica_log.statements(), backend(first)) == [f"{PUBLIC_MS}ms"]
    assert server.primary_log.ran(word) == []


def test_a_staff_request_carries_the_staff_budget_on_the_replica(budget_server):
    """A signed-in user's read, too slow for a public client, answers from the replica under the staff budget."""
    server, word = budget_server, uuid.uuid4().hex
    response = requested(server, slow(word), cookies=server.session_cookie)
    assert (response.status_code, server.read_from(response)) == (200, "replica"), response.text
    assert response.json()["numberMatched"] == 0
    [first, *_] = server.replica_log.ran(word)
    assert budget_set(server.replica_log.statements(), backend(first)) == [f"{STAFF_MS}ms"]
    assert server.primary_log.ran(word) == []


def standby_delay(server, value: str | None) -> None:
    """The replica's max_standby_streaming_delay (None: back to its own)."""
    execute(server.replica_url, "ALTER SYSTEM RESET max_standby_streaming_delay" if value is None else
            pg_sql.SQL("ALTER SYSTEM SET max_standby_streaming_delay = {}").format(pg_sql.Literal(value)))
    sql(server.replica_url, "SELECT pg_reload_conf()")
    setting = "SELECT setting, boot_val FROM pg_settings WHERE name = 'max_standby_streaming_delay'"
    wanted = value or sql(server.replica_url, setting)[0][1]
    wait_for(lambda: sql(server.replica_url, setting)[0][0] == wanted, timeout=10,
             what=f"max_standby_streaming_delay {wanted}")


def test_a_read_cancelled_by_the_replicas_recovery_is_run_again_on_the_primary(budget_server):
    """A conflict with recovery is not the read's fault: the primary takes an exclusive lock on the table the
    replica is reading, the replica (told to wait for no read, for this test) cancels the read to replay it, and
    the read runs again on the primary, once the lock is released: the signed-in user gets the answer, not an error."""
    server, word = budget_server, uuid.uuid4().hex
    answers = []
    standby_delay(server, "0")
    try:
        server.primary_log.mark()
        server.replica_log.mark()
        reader = threading.Thread(target=lambda: answers.append(
            server.get(ITEMS, params=slow(word), cookies=server.session_cookie)))
        reader.start()
        reading = "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query LIKE %s"
        wait_for(lambda: sql(server.replica_url, reading, [f"%{word}%"])[0][0], what="the read on the replica")
        with psycopg.connect(server.primary_url.replace("postgis://", "postgresql://", 1)) as locker:
            locker.execute("LOCK TABLE layers_heritagesite IN ACCESS EXCLUSIVE MODE")
            sql(server.primary_url, "SELECT pg_current_xact_id()")  # a commit: the lock's WAL is sent on
            wait_for(lambda: any("conflict with recovery" in entry for entry in server.replica_log.entries()),
                     timeout=30, what="the replica to cancel the read")
        reader.join(timeout=60)
    finally:
        standby_delay(server, None)
    [response] = answers
    assert (response.status_code, server.read_from(response)) == (200, "primary"), response.text
    assert response.json()["numberMatched"] == 0
    assert server.replica_log.ran(word) and len(server.primary_log.ran(word)) >= 1


def test_a_replica_that_is_down_hands_the_read_to_the_primary_under_the_same_budget(budget_server):
    """Last in the module: it stops the replica (the fixture starts it again)."""
    server = budget_server
    stop_replica()
    word = uuid.uuid4().hex
    answered = requested(server, quick(word))
    assert (answered.status_code, server.read_from(answered)) == (200, "primary")
    assert server.primary_log.ran(word)
    word = uuid.uuid4().hex
    out_of_time = requested(server, slow(word))
    assert (out_of_time.status_code, server.read_from(out_of_time)) == (503, "primary")
    assert out_of_time.headers["Retry-After"] == str(RETRY_AFTER)
    [first, *_] = server.primary_log.ran(word)
    assert budget_set(server.primary_log.statements(), backend(first)) == [f"{PUBLIC_MS}ms"]
