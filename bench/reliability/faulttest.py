"""make faulttest: the mixed workload runs while PostgreSQL is restarted, stopped for 10 s, made to refuse
connections for 10 s, and while gunicorn workers are killed with SIGKILL. Exit code 0 when every check passed.

The cluster is one of the test's own (bench/reliability/cluster.py), so nothing else is disturbed. Clients honour
Retry-After and send a failed create again with the same body and Idempotency-Key until it is acknowledged.

Checks:
- no 5xx other than 503; every 503 is in its API's format (Open311's [{code, description}], OGC's or DRF's
  JSON) with a Retry-After header, and quick (within DATABASE_CONNECT_TIMEOUT + 2 s); no request hangs;
- the server answers again by itself after each fault (GET /healthz polled every 0.25 s), and the calm
  period at the end has no failure at all;
- every create is acknowledged in the end, and every acknowledged report is in the database exactly once with
  its photo; a create sent again with the same Idempotency-Key during and after an outage is stored once;
- the outbox command fails cleanly while the database is down and sends nothing; after recovery every
  department e-mail is marked sent and reached the SMTP sink exactly once.

Environment: FAULTTEST_CLIENTS (32), FAULTTEST_SEED (8), FAULTTEST_OUTAGE_SECONDS (10), FAULTTEST_PORT (8163),
FAULTTEST_PGPORT (8164), FAULTTEST_SMTP_PORT (8165), GUNICORN_WORKERS, FAULTTEST_KEEP=1, FAULTTEST_RESULTS
(var/reliability/faulttest.json). FAULTTEST_QUICK=1 runs a short timeline with 8 clients and 3 s outages, without
the latency bound (as `make test` does).
"""
import json
import os
import random
import signal
import sys
import threading
import time
import urllib.parse
from dataclasses import asdict, dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.reliability.checks import check_stored_then_delivered, verdict  # noqa: E402
from bench.reliability.stack import RESULTS, Stack, close_database, env_int, get_status, send_notifications  # noqa: E402
from bench.reliability.workload import (  # noqa: E402
    CREATES, SUCCESS, TAG_PREFIX, Planned, Recorder, drive, latency_table, make_context, make_plan, percentile, print_table, send,
)

CONNECT_TIMEOUT = 5  # DATABASE_CONNECT_TIMEOUT's default, which the server runs with


class Timeline:
    """Faults with their start and end, in seconds from the start of the load; /healthz polled throughout."""

    def __init__(self, port: int, started_at: float):
        self.port, self.started_at = port, started_at
        self.faults: list[dict] = []
        self.health: list[tuple[float, float, int | None]] = []  # asked, answered, status
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True)
        self._thread.start()

    def now(self) -> float:
        return time.perf_counter() - self.started_at

    def _poll(self):
        while not self._stop.is_set():
            asked = self.now()
            status = get_status(self.port, "/healthz", timeout=30)
            self.health.append((asked, self.now(), status))
            time.sleep(0.25)

    def fault(self, name: str, begin: float, end: float, **details) -> dict:
        entry = {"fault": name, "begin": round(begin, 2), "end": round(end, 2), **details}
        self.faults.append(entry)
        print(f"  {begin:6.1f}-{end:6.1f} s  {name} {json.dumps(details) if details else ''}", flush=True)
        return entry

    def recovered_after(self, end: float) -> float | None:
        """Seconds from the end of a fault to the first healthy answer of a /healthz asked after it."""
        for asked, answered, status in self.health:
            if asked >= end and status == 200:
                return round(answered - end, 2)
        return None

    def stop(self):
        self._stop.set()
        self._thread.join()


@dataclass(frozen=True)
class Timing:
    """Seconds between the steps; QUICK is the short run that `make test` does."""
    clients: int = 32
    warm: float = 8
    settle: float = 12  # after each database fault
    outage: float = 10
    kills: int = 3
    kill_gap: float = 4
    calm: float = 20  # after the last kill
    calm_checked: float = 12  # the end of the calm period, which must be free of any failure
    latency_bound: bool = True  # fail on a 503 slower than DATABASE_CONNECT_TIMEOUT + 2 s
    outbox_before: int = 100_000  # e-mails sent before the faults (all that are due)


QUICK = Timing(clients=8, warm=3, settle=3, outage=3, kills=1, kill_gap=2, calm=12, calm_checked=6, latency_bound=False,
              outbox_before=30)


def main() -> int:
    timing = QUICK if os.environ.get("FAULTTEST_QUICK") == "1" else Timing(
        clients=env_int("FAULTTEST_CLIENTS", 32), outage=env_int("FAULTTEST_OUTAGE_SECONDS", 10))
    seed = env_int("FAULTTEST_SEED", 8)
    output = Path(os.environ.get("FAULTTEST_RESULTS", RESULTS / "faulttest.json"))
    stack = Stack.from_environment("FAULTTEST", 8163)
    problems: list[str] = []
    try:
        stack.up()
        context = make_context(seed, "fault")
        recorder = Recorder()
        probe = idempotency_probe(context)
        recorder.attempted_tags.add(probe.tag)
        close_database()

        stop = threading.Event()
        started_at = time.perf_counter()
        timeline = Timeline(stack.http_port, started_at)
        load = threading.Thread(target=drive, kwargs=dict(
            port=stack.http_port, plan=make_plan(context, 1_000_000, seed), recorder=recorder, clients=timing.clients,
            seconds=3600, retry_creates=True, stop=stop, started_at=started_at))
        load.start()
        print(f"faults: {timing.clients} clients; seed {seed}; timeline:", flush=True)
        probes, outbox_during = inject_faults(stack, timeline, timing, probe, random.Random(seed))
        for outcome in probes:
            recorder.add(outcome)
        calm_from = timeline.now() + timing.calm - timing.calm_checked
        time.sleep(timing.calm)
        stop.set()
        load.join()
        end = timeline.now()
        timeline.stop()

        close_database()
        problems += answer_problems(recorder.outcomes, timeline, calm_from, end, timing.latency_bound)
        problems += probe_problems(*probes, outbox_during)
        never = sorted(recorder.attempted_tags - set(recorder.acknowledged))
        if never:
            problems.append(f"{len(never)} creates were never acknowledged, e.g. {never[:3]}")
        stored_problems, stored = check_stored_then_delivered(recorder, stack.sink.received)
        problems += stored_problems
        table = latency_table(recorder.outcomes, end)
        results = {
            "date": time.strftime("%Y-%m-%d %H:%M %Z"), "cores": os.cpu_count(), "workers": stack.workers,
            "seed": seed, "timing": asdict(timing), "load_seconds": round(end, 1), "load_average": [round(v, 2) for v in os.getloadavg()],
            "faults": [{**f, "recovered_after_s": timeline.recovered_after(f["end"])} for f in timeline.faults],
            "windows": windows(recorder.outcomes, timeline), "per_kind": table, **stored,
            "replayed_creates": sum(1 for o in recorder.outcomes if o.kind in CREATES and o.status == 200),
            "creates_sent_again": sum(1 for o in recorder.outcomes if o.attempt > 1),
            "idempotency_probe": [[o.status, o.issue_id] for o in probes],
            "problems": problems,
        }
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(json.dumps(results, indent=2))
        print_table(table)
        for window in results["windows"]:
            print(f"  {window['fault']}: {json.dumps({k: v for k, v in window.items() if k != 'fault'})}")
        print(f"reports: {json.dumps(stored['reports'])}; replayed {results['replayed_creates']}, "
              f"sent again {results['creates_sent_again']}")
        print(f"outbox: {json.dumps(stored['outbox'])}")
    finally:
        stack.down(keep=os.environ.get("FAULTTEST_KEEP") == "1")
    return verdict("faulttest", problems, output)


def idempotency_probe(context) -> Planned:
    """A create with a fixed Idempotency-Key, sent by hand: once during the outage, then twice after it."""
    tag = f"{TAG_PREFIX}-fault-idempotency-probe"
    fields = {"api_key": context.api_keys[0], "service_code": "pothole", "lat": str(context.points[0][1]),
              "long": str(context.points[0][0]), "description": f"Load check report [{tag}]"}
    return Planned("create", "POST", "/open311/v2/requests.json", urllib.parse.urlencode(fields).encode(),
                   {"Idempotency-Key": tag, "Content-Type": "application/x-www-form-urlencoded"}, tag)


def inject_faults(stack: Stack, timeline: Timeline, timing: Timing, probe: Planned, rng: random.Random):
    """Restart, stop, refuse, kill workers; the idempotency probe and the outbox around the stop."""
    time.sleep(timing.warm)
    code, line = send_notifications(limit=timing.outbox_before)
    timeline.fault("outbox run before the faults", timeline.now(), timeline.now(), exit_code=code, output=line)
    sent_before = len(stack.sink.received())

    begin = timeline.now()
    stack.cluster.restart()
    timeline.fault("PostgreSQL restart (fast)", begin, timeline.now())
    time.sleep(timing.settle)

    begin = timeline.now()
    stack.cluster.stop()
    first = send(stack.http_port, probe, timeline.started_at, timeout=60)
    code, line = send_notifications()
    outbox_during = {"exit_code": code, "output": line, "messages_during": len(stack.sink.received()) - sent_before}
    time.sleep(max(0.0, timing.outage - (timeline.now() - begin)))
    stack.cluster.start()
    stopped = timeline.fault("PostgreSQL stopped", begin, timeline.now(), outbox=outbox_during)
    second = send(stack.http_port, probe, timeline.started_at, timeout=60)
    while second.status not in (200, 201) and timeline.now() - stopped["end"] < 60:
        time.sleep(1)
        second = send(stack.http_port, probe, timeline.started_at, timeout=60)
    third = send(stack.http_port, probe, timeline.started_at, timeout=60)
    time.sleep(timing.settle)

    begin = timeline.now()
    stack.cluster.refuse_connections()
    time.sleep(timing.outage)
    stack.cluster.accept_connections()
    timeline.fault("PostgreSQL refusing connections (pg_hba reject, open connections cut)", begin, timeline.now())
    time.sleep(timing.settle)

    for _ in range(timing.kills):
        at = timeline.now()
        timeline.fault("gunicorn worker killed (SIGKILL)", at, at, pid=stack.kill_worker(rng))
        time.sleep(timing.kill_gap)
    at = timeline.now()
    pids = stack.worker_pids()
    for pid in pids:
        os.kill(pid, signal.SIGKILL)
    timeline.fault("every gunicorn worker killed at once (SIGKILL)", at, at, pids=pids)
    return (first, second, third), outbox_during


def answer_problems(outcomes, timeline: Timeline, calm_from: float, end: float, latency_bound: bool) -> list[str]:
    problems = []
    kills = [f["begin"] for f in timeline.faults if "killed" in f["fault"]]
    quick = CONNECT_TIMEOUT + 2
    for o in outcomes:
        if o.status is not None and o.status >= 500 and o.status != 503:
            problems.append(f"{o.kind} at {o.started:.1f} s answered {o.status}")
        elif o.status == 503:
            if not o.well_formed_503:
                problems.append(f"{o.kind} at {o.started:.1f} s: a 503 not in its API's JSON format")
            if not (o.retry_after or "").isdigit():
                problems.append(f"{o.kind} at {o.started:.1f} s: a 503 without Retry-After")
            if latency_bound and o.seconds > quick:
                problems.append(f"{o.kind} at {o.started:.1f} s: the 503 took {o.seconds:.1f} s (more than {quick} s)")
        elif o.status is None and not any(k - 1 <= o.started + o.seconds <= k + 3 for k in kills):
            problems.append(f"{o.kind} at {o.started:.1f} s got no answer ({o.error}) away from any worker kill")
        if calm_from <= o.started <= end and o.status is not None and o.status not in SUCCESS[o.kind] and o.status != 200:
            problems.append(f"{o.kind} at {o.started:.1f} s answered {o.status} in the calm period after the faults")
    for fault in timeline.faults:
        if fault["fault"].startswith("PostgreSQL") and timeline.recovered_after(fault["end"]) is None:
            problems.append(f"the server did not answer /healthz again after: {fault['fault']}")
        if fault["fault"].startswith(("PostgreSQL stopped", "PostgreSQL refusing")):
            seen = [o for o in outcomes if fault["begin"] <= o.started <= fault["end"] and o.status == 503]
            if not seen:
                problems.append(f"no 503 was seen during: {fault['fault']}")
    return problems


def probe_problems(first, second, third, outbox_during: dict) -> list[str]:
    problems = []
    if first.status != 503:
        problems.append(f"a create while the database was stopped answered {first.status or first.error}, not 503")
    if second.status != 201 or third.status != 200 or second.issue_id != third.issue_id:
        problems.append(f"the same create sent again after recovery answered {second.status} then {third.status} "
                        f"(ids {second.issue_id}, {third.issue_id}); expected 201, then 200 with the same id")
    if outbox_during["exit_code"] == 0 or "database is unavailable" not in outbox_during["output"]:
        problems.append(f"the outbox command while the database was stopped: {outbox_during}")
    if outbox_during["messages_during"]:
        problems.append(f"{outbox_during['messages_during']} e-mails went out while the database was stopped")
    return problems


def windows(outcomes, timeline: Timeline) -> list[dict]:
    """What the clients saw from each fault's start until the server was healthy again."""
    rows = []
    for fault in timeline.faults:
        if not fault["fault"].startswith(("PostgreSQL", "every gunicorn", "gunicorn")):
            continue
        recovered = timeline.recovered_after(fault["end"]) or 0.0
        until = fault["end"] + max(recovered, 3.0 if "killed" in fault["fault"] else 0.0)
        mine = [o for o in outcomes if o.started <= until and o.started + o.seconds >= fault["begin"]]
        answers_503 = [o.seconds * 1000 for o in mine if o.status == 503]
        rows.append({
            "fault": fault["fault"], "seconds": round(until - fault["begin"], 1), "requests": len(mine),
            "ok": sum(1 for o in mine if o.status is not None and o.status < 400),
            "503": len(answers_503), "no_answer": sum(1 for o in mine if o.status is None),
            "503_p50_ms": round(percentile(answers_503, 0.5), 1), "503_max_ms": round(max(answers_503, default=0), 1),
            "recovered_after_s": recovered,
        })
    return rows


if __name__ == "__main__":
    sys.exit(main())
