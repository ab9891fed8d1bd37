"""Reads from a real streaming replica (scripts/start_replica.sh), through a server configured with
DATABASE_REPLICA_URL: where reads go, what /healthz says, and the faults: the replica lags (nobody misses their
own write), stops under load (reads fall back to the primary, no 5xx), and comes back (reads return to it)."""
import threading
import time

import pytest
import requests

from tests.conftest import run_django
from tests.support.replica_server import database_copy_on_replica, sql, start_replica, start_server, stop_replica, wait_for
from tests.support.browser import _free_port, drop_database_later

MAX_LAG_SECONDS = 8
WHITE_TOWER = {"lat": "40.6264", "long": "22.9484"}
# With the tests that use the database (before the transactional ones, which empty it), so that the copy made
# below has the demo data; loaded into the copy when it has not.
pytestmark = pytest.mark.django_db

READS = [  # what map pages and open-data clients read while the replica stops
    "/ogc/collections/public-issues/items?limit=50",
    "/ogc/collections/districts/items",
    "/ogc/collections/districts/tiles/WebMercatorQuad/14/6158/9119",
    "/open311/v2/requests.json",
    "/api/districts/",
]


@pytest.fixture(scope="module")
def replica_server(replica_cluster, django_db_setup, django_db_blocker):
    """The project's replica, started by its script; a copy of the test database with the demo data; gunicorn on
    it, reading from the replica (its state asked at every request, a failed replica retried after a second)."""
    copy, primary_url, replica_url = database_copy_on_replica("replica", ("layers_load_demo", "issues_load_demo"))
    made = run_django("from issues.api_keys import api_key_create\nprint(api_key_create(name='replica test')[1])",
                      DATABASE_URL=primary_url, DJANGO_SETTINGS_MODULE="gis_portal.settings.dev")
    assert made.returncode == 0, made.stderr[-2000:]
    api_key = made.stdout.strip().splitlines()[-1]
    wait_for(lambda: sql(replica_url, "SELECT count(*) FROM issues_apikey")[0][0] >= 1, what="the copy on the replica")
    process, server = start_server(database_url=primary_url, replica_url=replica_url, port=_free_port(), env={
        "REPLICA_MAX_LAG_SECONDS": str(MAX_LAG_SECONDS), "REPLICA_CHECK_SECONDS": "0", "REPLICA_RETRY_SECONDS": "1",
        "REPLICA_PIN_SECONDS": "60"})
    server.api_key = api_key
    yield server
    process.terminate()
    process.wait(timeout=30)
    start_replica()  # left running and replaying, as a failing test may have stopped or paused it
    drop_database_later(copy)


def report(server, session: requests.Session, description: str) -> str:
    answer = session.post(server.url + "/open311/v2/requests.json", timeout=30, data={
        "api_key": server.api_key, "service_code": "pothole", "description": description, **WHITE_TOWER})
    assert answer.status_code == 201, answer.text
    return answer.json()[0]["service_request_id"]


def test_reads_go_to_the_replica_writes_to_the_primary_and_healthz_reports_the_lag(replica_server):
    server = replica_server
    items = server.get("/ogc/collections/districts/items")
    assert items.status_code == 200 and server.read_from(items) == "replica"
    assert items.json()["numberMatched"] == len(items.json()["features"]) > 0

    citizen = requests.Session()
    issue_id = report(server, citizen, "pothole reported while the replica serves reads")
    stored = sql(server.primary_url, "SELECT count(*) FROM issues_issue WHERE id = %s", [issue_id])[0][0]
    assert stored == 1

    health = server.get("/healthz")
    assert health.status_code == 200
    replica = health.json()["replica"]
    assert replica["status"] == "ok" and replica["streaming"] is True and replica["replay_paused"] is False
    assert 0 <= replica["lag_seconds"] <= MAX_LAG_SECONDS and replica["reads"] == "replica"


def test_nobody_misses_their_own_write_while_the_replica_lags(replica_server):
    """Replay paused (the replica falls behind, past its limit of MAX_LAG_SECONDS): the citizen who sent a report reads it at once
    (the write pinned their reads to the primary); someone else reads the replica's older state until the lag
    passes the limit (waited for, not slept), then the primary too."""
    server = replica_server
    sql(server.replica_url, "SELECT pg_wal_replay_pause()")
    try:
        wait_for(lambda: sql(server.replica_url, "SELECT pg_get_wal_replay_pause_state()")[0][0] == "paused",
                 what="replay to pause")
        citizen, neighbour = requests.Session(), requests.Session()
        issue_id = report(server, citizen, "a report sent while the replica lags")

        own = server.get(f"/open311/v2/requests/{issue_id}.json", citizen)
        assert own.status_code == 200 and own.json()[0]["service_request_id"] == issue_id
        assert server.read_from(own) == "primary"
        listed = server.get("/ogc/collections/public-issues/items?limit=10000", citizen).json()
        assert int(issue_id) in [feature["id"] for feature in listed["features"]]

        stale = server.get(f"/open311/v2/requests/{issue_id}.json", neighbour)
        assert (stale.status_code, server.read_from(stale)) == (404, "replica")  # the lag is real

        def past_the_limit():  # the lag grows while replay stays paused
            replica = server.get("/healthz").json()["replica"]
            return replica if replica["lag_seconds"] > MAX_LAG_SECONDS else None

        health = wait_for(past_the_limit, timeout=60, what="the lag to pass the limit")
        assert health["replay_paused"] is True and health["lag_seconds"] > MAX_LAG_SECONDS and health["reads"] == "primary"
        fresh = server.get(f"/open311/v2/requests/{issue_id}.json", neighbour)
        assert (fresh.status_code, server.read_from(fresh)) == (200, "primary")
    finally:
        sql(server.replica_url, "SELECT pg_wal_replay_resume()")
    server.caught_up()

    def back_on_the_replica():  # the server's lag check follows the replica's catching up (waited for, not slept)
        again = server.get(f"/open311/v2/requests/{issue_id}.json", neighbour)
        return again if server.read_from(again) == "replica" else None

    again = wait_for(back_on_the_replica, timeout=60, what="reads to go back to the replica")
    assert again.status_code == 200 and again.json()[0]["service_request_id"] == issue_id


def test_reads_fall_back_to_the_primary_when_the_replica_stops_under_load(replica_server):
    server = replica_server
    answers: list[tuple[float, str, int, str]] = []
    stop_at = [time.monotonic() + 60]
    lock = threading.Lock()

    def client(index):
        session = requests.Session()
        n = index
        while time.monotonic() < stop_at[0]:
            path = READS[n % len(READS)]
            n += 1
            response = server.get(path, session)
            with lock:
                answers.append((time.monotonic(), path, response.status_code, server.read_from(response)))

    threads = [threading.Thread(target=client, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    try:
        time.sleep(1.5)
        stopping = time.monotonic()
        stop_replica("immediate")  # as a crash: the connections the workers hold are cut in the middle of reads
        stopped = time.monotonic()
        time.sleep(2)
    finally:
        stop_at[0] = 0
        for thread in threads:
            thread.join()

    failed = [(path, status) for _, path, status, _ in answers if status >= 500]
    assert failed == [], failed
    assert all(status in (200, 204) for _, _, status, _ in answers)
    assert any(where == "replica" for at, _, _, where in answers if at < stopping)
    after = [where for at, _, _, where in answers if at > stopped + 0.2]
    assert after and set(after) == {"primary"}
    health = server.get("/healthz")
    assert health.status_code == 200
    assert health.json()["replica"]["status"] == "unavailable" and health.json()["replica"]["reads"] == "primary"


def test_reads_return_to_the_replica_when_it_is_back(replica_server):
    server = replica_server
    stop_replica()
    down = server.get("/ogc/collections/districts/items")
    assert (down.status_code, server.read_from(down)) == (200, "primary")
    start_replica()
    back = wait_for(lambda: server.read_from(server.get("/ogc/collections/districts/items")) == "replica", timeout=30,
                    what="reads to return to the replica")
    assert back
    assert server.get("/healthz").json()["replica"]["status"] == "ok"
