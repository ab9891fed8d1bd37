"""make loadtest: 32 clients drive the mixed workload at gunicorn (production settings) for a fixed number of
requests or a fixed time, whichever ends first (the results say which), then check that nothing was lost.
Exit code 0 when every check passed.

Checks: no 5xx and no request unanswered; every acknowledged report (2xx with an id) is in the database exactly
once, with its photo; its department's e-mail is in the outbox exactly once and, after the outbox has run,
reached the mail server exactly once. Prints throughput and p50/p95/p99 per request type and writes them to
var/reliability/loadtest.json.

Environment: LOADTEST_CLIENTS (32), LOADTEST_REQUESTS (6000), LOADTEST_SECONDS (180), LOADTEST_SEED (8),
LOADTEST_PORT (8160), LOADTEST_PGPORT (8161), LOADTEST_SMTP_PORT (8162), GUNICORN_WORKERS (2 per core + 1),
LOADTEST_KEEP=1 keeps the cluster's folder.
"""
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.reliability.checks import check_stored_then_delivered, verdict  # noqa: E402
from bench.reliability.stack import RESULTS, Stack, close_database, env_int  # noqa: E402
from bench.reliability.workload import (  # noqa: E402
    CREATES, SUCCESS, Recorder, drive, latency_table, make_context, make_plan, print_table,
)


def main() -> int:
    clients, requests = env_int("LOADTEST_CLIENTS", 32), env_int("LOADTEST_REQUESTS", 6000)
    seconds, seed = env_int("LOADTEST_SECONDS", 180), env_int("LOADTEST_SEED", 8)
    stack = Stack.from_environment("LOADTEST", 8160)
    problems: list[str] = []
    try:
        stack.up()
        context = make_context(seed, "load")
        plan = list(make_plan(context, requests, seed))
        warm_up = [p for p in make_plan(context, 200, seed + 1) if p.kind not in CREATES]
        close_database()
        drive(stack.http_port, warm_up, Recorder(), clients=clients, seconds=60)  # every worker imports and caches once
        load_before = os.getloadavg()
        print(f"load: {len(plan)} requests from {clients} clients, at most {seconds} s (seed {seed})", flush=True)
        recorder = Recorder()
        wall = drive(stack.http_port, plan, recorder, clients=clients, seconds=seconds)
        load_after = os.getloadavg()
        outcomes = recorder.outcomes
        ended_by = "time" if len(outcomes) < len(plan) else "requests"
        server_errors = [o for o in outcomes if o.status is not None and o.status >= 500]
        unanswered = [o for o in outcomes if o.status is None]
        unexpected = [o for o in outcomes if o.status is not None and o.status < 500 and o.status not in SUCCESS[o.kind]]
        for label, found in (("5xx answers", server_errors), ("requests without an answer", unanswered),
                             ("unexpected statuses", unexpected)):
            if found:
                examples = sorted({f"{o.kind} {o.status or o.error}" for o in found})[:5]
                problems.append(f"{len(found)} {label}: {', '.join(examples)}")
        stored_problems, stored = check_stored_then_delivered(recorder, stack.sink.received)
        problems += stored_problems
        table = latency_table(outcomes, wall)
        results = {
            "date": time.strftime("%Y-%m-%d %H:%M %Z"), "cores": os.cpu_count(), "workers": stack.workers, "clients": clients,
            "seed": seed, "planned_requests": len(plan), "sent_requests": len(outcomes), "ended_by": ended_by, "wall_seconds": round(wall, 1),
            "requests_per_second": round(len(outcomes) / wall, 1),
            "load_average_before": [round(v, 2) for v in load_before], "load_average_after": [round(v, 2) for v in load_after],
            "per_kind": table, **stored, "problems": problems,
        }
        RESULTS.mkdir(parents=True, exist_ok=True)
        (RESULTS / "loadtest.json").write_text(json.dumps(results, indent=2))
        print_table(table)
        print(f"total: {len(outcomes)} requests in {wall:.1f} s (ended by the {ended_by} bound) = {results['requests_per_second']} req/s; "
              f"load average before {load_before[0]:.2f}, after {load_after[0]:.2f} ({os.cpu_count()} cores)")
        print(f"reports: {json.dumps(stored['reports'])}")
        print(f"outbox: {json.dumps(stored['outbox'])}")
    finally:
        stack.down(keep=os.environ.get("LOADTEST_KEEP") == "1")
    return verdict("loadtest", problems, RESULTS / "loadtest.json")


if __name__ == "__main__":
    sys.exit(main())
