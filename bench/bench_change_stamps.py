"""The cost of the layers' change stamps on the report path: concurrent report-like transactions (insert a
report, hold the transaction a few milliseconds as issue_report does with its history, outbox and
idempotency rows, commit) with no trigger on issues_issue, with the appended-row trigger the project uses,
and with the peer design: a statement trigger that updates one counter row per table (every writer then
waits for the previous writer's commit). Same database, same run, rounds interleaved.

Run: bash bench/run.sh change_stamps (or, on another bench database, with BENCH_DATABASE_URL).
"""
import os
import sys
import threading
import time

from common import save, setup_django, sized, smoke_check, summary_ms

setup_django()

import psycopg  # noqa: E402
from django.db import connection  # noqa: E402

THREADS = sized([1, 8, 32], [1, 2])
SECONDS = sized(float(os.environ.get("BENCH_SECONDS", "8")), 0.3)
HOLD_S = 0.003  # the rest of a report's transaction after the insert
MARK = "change-stamp benchmark"

INSERT = """
INSERT INTO issues_issue (token, category_id, description, attributes, location, address, address_id, zipcode,
    district_id, department_id, routing_note, status, close_reason, status_notes, priority, email, first_name,
    last_name, phone, device_id, account_id, media_url, photo, thumbnail, created_at, updated_at, reopened_count,
    version, priority_reason)
SELECT gen_random_uuid(), c.id, '', '{}', ST_SetSRID(ST_MakePoint(22.94, 40.63), 4326), '', '', '', NULL, d.id,
    %(mark)s, 'new', '', '', 2, '', '', '', '', '', '', '', '', '', now(), now(), 0, 1, ''
FROM (SELECT min(id) AS id FROM issues_category) AS c, (SELECT min(id) AS id FROM issues_department) AS d
"""
COUNTER = """
CREATE TABLE IF NOT EXISTS bench_change_counter (source text PRIMARY KEY, changes bigint NOT NULL);
INSERT INTO bench_change_counter VALUES ('issues_issue', 0) ON CONFLICT DO NOTHING;
CREATE OR REPLACE FUNCTION bench_count_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE bench_change_counter SET changes = changes + 1 WHERE source = TG_TABLE_NAME;
    RETURN NULL;
END $$;
"""
STATES = {
    "no trigger": "DROP TRIGGER IF EXISTS layers_change_stamp ON issues_issue; "
                  "DROP TRIGGER IF EXISTS bench_change_counter ON issues_issue;",
    "appended row (the project's)": "DROP TRIGGER IF EXISTS bench_change_counter ON issues_issue; "
                                    "DROP TRIGGER IF EXISTS layers_change_stamp ON issues_issue; "
                                    "SELECT layers_track_changes('issues_issue');",
    "peer: one counter row": "DROP TRIGGER IF EXISTS layers_change_stamp ON issues_issue; "
                             "CREATE TRIGGER bench_change_counter AFTER INSERT OR UPDATE OR DELETE ON issues_issue "
                             "FOR EACH STATEMENT EXECUTE FUNCTION bench_count_change();",
}


def dsn() -> str:
    settings = connection.settings_dict
    return (f"host={settings['HOST'] or '127.0.0.1'} port={settings['PORT'] or 5432} dbname={settings['NAME']} "
            f"user={settings['USER']} password={settings['PASSWORD']}")


def admin(statement: str, params: dict | None = None) -> None:
    with psycopg.connect(dsn(), autocommit=True) as conn:
        conn.execute(statement, params)


def run(threads: int) -> dict:
    latencies, lock = [], threading.Lock()
    stop_at = time.perf_counter() + SECONDS

    def writer():
        local = []
        with psycopg.connect(dsn()) as conn:
            while not local or time.perf_counter() < stop_at:  # at least one, however busy the machine
                start = time.perf_counter()
                with conn.transaction():
                    conn.execute(INSERT, {"mark": MARK})
                    time.sleep(HOLD_S)
                local.append(time.perf_counter() - start)
        with lock:
            latencies.extend(local)

    workers = [threading.Thread(target=writer) for _ in range(threads)]
    started = time.perf_counter()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    smoke_check(bool(latencies), f"no transaction committed with {threads} writers")
    result = summary_ms(latencies)
    result["transactions_per_s"] = round(len(latencies) / (time.perf_counter() - started), 1)
    return result


def main():
    admin(COUNTER)
    results = {"seconds_per_level": SECONDS, "hold_ms": HOLD_S * 1000, "cores": os.cpu_count(),
               "load_average_at_start": os.getloadavg()}
    try:
        for round_number in sized((1, 2), (1,)):
            for state, setup in STATES.items():
                admin(setup)
                for threads in THREADS:
                    results[f"round {round_number}, {state}, {threads} writers"] = run(threads)
    finally:
        admin(STATES["appended row (the project's)"])
        admin("DELETE FROM issues_issue WHERE routing_note = %(mark)s", {"mark": MARK})
        admin("DROP TABLE IF EXISTS bench_change_counter; DROP FUNCTION IF EXISTS bench_count_change();")
    results["load_average_at_end"] = os.getloadavg()
    save("change_stamps", results)


if __name__ == "__main__":
    sys.exit(main())
