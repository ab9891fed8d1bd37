"""`make run` under load: the site served as `make run` serves it (scripts/serve.sh: gunicorn with gunicorn.conf.py
and gis_portal.settings.local, connections from a pool, the job worker beside it) on a copy of the test database,
while 64 clients at once send the mixed workload of the load check (bench/reliability/workload.py: reports through
Open311 with and without photos, Open311 lists, department queues through the API, vector tiles, hazard profiles,
/healthz). No answer may be a 5xx, no connection may be dropped, every acknowledged report is stored exactly once,
and the server holds no more connections than its pools allow."""
import json
import os
import signal
import subprocess
import threading

import psycopg
import pytest

from bench.reliability.workload import CREATES, SUCCESS, TAG_PREFIX, Context, Recorder, drive, make_plan, photo
from tests.conftest import PROJECT_ROOT, run_django
from tests.support.browser import _copy_database, _database_url, _free_port, _wait_until_up, drop_database_later

CLIENTS = 64
REQUESTS = 3 * CLIENTS
SEED = 64
RUN = "make-run"
WORKERS = 5  # gunicorn.conf.py's two per core and one more, on the reference 2 cores
POOL_MAX = 4  # gis_portal.settings.local's DATABASE_POOL_MAX_SIZE
# the job worker's connections: its Django pool (POOL_MAX) and procrastinate's own (listening, fetching jobs)
JOB_WORKER_CONNECTIONS = 2 * POOL_MAX

CONTEXT = f"""
from bench.reliability.workload import make_context
made = make_context({SEED}, {RUN!r}, keys=4)
print(json.dumps({{"api_keys": made.api_keys, "token": made.token, "departments": made.departments, "points": made.points}}))
"""


@pytest.fixture(scope="module")
def make_run(browser_demo_database, django_db_blocker, tmp_path_factory):
    """scripts/serve.sh as `make run` starts it, on a free port, on a copy of the demo database as it was loaded
    (the snapshot the browser servers copy: the test database itself may have been emptied by a transactional test)."""
    from django.conf import settings
    from django.db import connection

    with django_db_blocker.unblock():
        copy = f"{connection.settings_dict['NAME']}_make_run"
        _copy_database(browser_demo_database, copy)
    database_url = _database_url(copy)
    made = run_django("import json\n" + CONTEXT, DATABASE_URL=database_url, DJANGO_SETTINGS_MODULE="gis_portal.settings.dev")
    assert made.returncode == 0, made.stderr[-2000:]
    context = Context(**json.loads(made.stdout.strip().splitlines()[-1]), photos=[photo(SEED, i) for i in range(2)], run=RUN)
    folder = tmp_path_factory.mktemp("make-run")
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}  # as from a shell: serve.sh picks
    env.update(DATABASE_URL=database_url, HOST="127.0.0.1", PORT=str(port), MEDIA_ROOT=str(folder / "media"),
               HAZARD_DATA_DIR=str(settings.HAZARD_DATA_DIR), LOG_LEVEL="WARNING", GUNICORN_WORKERS=str(WORKERS))
    log = folder / "serve.log"
    with log.open("wb") as out:
        server = subprocess.Popen(["bash", "scripts/serve.sh"], cwd=PROJECT_ROOT, env=env, stdout=out,
                                  stderr=subprocess.STDOUT, start_new_session=True)
    try:
        _wait_until_up(f"http://127.0.0.1:{port}", server, log)
        yield port, context, database_url.replace("postgis://", "postgresql://", 1), copy
    finally:
        os.killpg(server.pid, signal.SIGTERM)  # as Ctrl-C: the script stops gunicorn and the worker
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        drop_database_later(copy)


def server_connections(database_url: str, database: str, stop: threading.Event, seen: list[int]) -> None:
    """Every 0.1 s: how many connections the database copy has (the server's, the job worker's)."""
    with psycopg.connect(database_url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        while not stop.is_set():
            seen.append(conn.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = %s", [database]).fetchone()[0])
            stop.wait(0.1)  # the next sample, or at once when the run is over


def test_64_clients_at_once_get_no_5xx_no_dropped_connection_and_every_report_stored_once(make_run):
    port, context, database_url, database = make_run
    plan = list(make_plan(context, REQUESTS, SEED))
    recorder, seen, stop = Recorder(), [], threading.Event()
    counting = threading.Thread(target=server_connections, args=(database_url, database, stop, seen), daemon=True)
    counting.start()
    try:
        wall = drive(port, plan, recorder, clients=CLIENTS, seconds=60, timeout=60)
    finally:
        stop.set()
        counting.join()
    outcomes = recorder.outcomes
    assert len(outcomes) == len(plan), f"{len(plan) - len(outcomes)} requests not sent in {wall:.1f} s"
    dropped = [f"{o.kind}: {o.error}" for o in outcomes if o.status is None]
    assert not dropped, f"{len(dropped)} requests got no answer: {sorted(set(dropped))}"
    server_errors = sorted({f"{o.kind}: {o.status}" for o in outcomes if o.status >= 500})
    assert not server_errors, server_errors
    unexpected = sorted({f"{o.kind}: {o.status}" for o in outcomes if o.status not in SUCCESS[o.kind]})
    assert not unexpected, unexpected

    with psycopg.connect(database_url) as conn:
        rows = conn.execute(r"SELECT substring(description FROM '\[([^]]+)\]'), array_agg(id ORDER BY id) FROM issues_issue "
                            "WHERE description LIKE %s GROUP BY 1", [f"%[{TAG_PREFIX}-{RUN}-%"]).fetchall()
    stored = dict(rows)
    creates = [o for o in outcomes if o.kind in CREATES]
    assert creates and len(recorder.acknowledged) == len(creates)
    assert {tag: [issue_id] for tag, issue_id in recorder.acknowledged.items()} == stored
    assert max(seen) <= WORKERS * POOL_MAX + JOB_WORKER_CONNECTIONS, f"the database saw {max(seen)} connections"
    print(f"\n{len(outcomes)} requests from {CLIENTS} clients in {wall:.1f} s ({len(outcomes) / wall:.0f}/s), "
          f"{len(creates)} reports stored once each, at most {max(seen)} connections to the database")
