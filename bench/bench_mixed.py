"""Mixed traffic with downloads: does a burst of GeoPackage downloads of a large layer slow anyone else down?

gunicorn as production runs it (the project's gunicorn.conf.py, production settings, 4 sync workers) and the job
worker (`manage.py procrastinate worker`) on a PostgreSQL cluster of their own (bench/reliability/stack.py) holding
the demo data and MIXED_REPORTS synthetic reports. Two phases of the same length, each with the reliability
workload's mix (reports with and without photos, Open311 lists, department queues, tiles, hazard profiles, /healthz)
from 24 clients:

  1. without downloads;
  2. the same, plus 8 anonymous clients asking for the public issues as GeoPackage in a loop, while new reports
     arrive (so the layer's data version keeps changing and the download job keeps being queued and coalesced).

Passes when: /healthz and report-create p95 of phase 2 are within 1.5 times phase 1's; no 5xx apart from the
documented 503 + Retry-After of a download whose first file is not written yet; every acknowledged report is
stored once and its e-mail delivered once. Figures to var/reliability/bench_mixed.json and docs/PERFORMANCE.md.

nginx from Debian stands in front as the production recipe has it (deploy/nginx/, through
scripts/nginx_cache_check.py's LocalNginx, telling the server the client used HTTPS as the recipe's TLS listener
does): it caches tiles and OGC pages and sends the download files itself (X-Accel-Redirect), so a download holds
no gunicorn worker. MIXED_NGINX=0 (or no nginx installed): clients talk to gunicorn, which sends the files.

--smoke: the DATABASE_URL's database (the test database when run from the suite) instead of a cluster of its own,
2 workers, 6 + 2 clients, a few seconds per phase, no synthetic reports added; the same checks except the
latency bound. Environment: MIXED_REPORTS (200000), MIXED_SECONDS (60), MIXED_PORT (8170, and the two after it),
MIXED_NGINX (1), MIXED_DOWNLOAD_MBIT (100, per download client).
"""
import argparse
import dataclasses
import http.client
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.reliability.stack import PROXY_HEADERS, RESULTS, MailSink, Stack, close_database, env_int, free_port  # noqa: E402
from bench.reliability.workload import (  # noqa: E402
    CREATES, SUCCESS, Recorder, drive, latency_table, make_context, make_plan, percentile, print_table,
)

DOWNLOAD = "/ogc/collections/public-issues/download/gpkg"

MIX_CLIENTS, DOWNLOAD_CLIENTS = 24, 8
BOUND = 1.5


class DownloadClients:
    """Anonymous clients asking for the GeoPackage in a loop: a 503 waits (at most 2 s of its Retry-After). Each
    reads at most `mbit_per_s` (MIXED_DOWNLOAD_MBIT, 100 by default: a citizen's fast line; eight of them fill a
    1 Gbit/s uplink), as clients on the internet do, and so that the benchmark's own reading of the bytes does not
    take the cores of the machine it measures (0: as fast as loopback goes)."""

    def __init__(self, port: int, clients: int, mbit_per_s: float = 0):
        self.port, self.clients = port, clients
        self.bytes_per_s = mbit_per_s * 1e6 / 8
        self.outcomes: list[dict] = []
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.threads = [threading.Thread(target=self.loop, daemon=True) for _ in range(clients)]

    def loop(self) -> None:
        while not self.stop.is_set():
            start = time.perf_counter()
            outcome = {"status": None, "seconds": 0.0, "bytes": 0, "older": False, "retry_after": None}
            try:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
                connection.request("GET", DOWNLOAD, headers=PROXY_HEADERS)
                response = connection.getresponse()
                size, buffer, began = 0, bytearray(1 << 20), time.perf_counter()
                while read := response.readinto(buffer):
                    size += read
                    ahead = size / self.bytes_per_s - (time.perf_counter() - began) if self.bytes_per_s else 0
                    if ahead > 0:
                        time.sleep(ahead)
                connection.close()
                outcome.update(status=response.status, bytes=size, older=response.getheader("X-Newer-Version") is not None,
                               retry_after=response.getheader("Retry-After"))
            except (OSError, http.client.HTTPException) as exc:
                outcome["error"] = exc.__class__.__name__
            outcome["seconds"] = time.perf_counter() - start
            with self.lock:
                self.outcomes.append(outcome)
            if outcome["status"] == 503:
                self.stop.wait(min(2.0, float(outcome["retry_after"] or 2)))

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=150)

    def summary(self) -> dict:
        ok = [o for o in self.outcomes if o["status"] == 200]
        statuses: dict[str, int] = {}
        for o in self.outcomes:
            key = str(o["status"] or o.get("error"))
            statuses[key] = statuses.get(key, 0) + 1
        return {"requests": len(self.outcomes), "answers": dict(sorted(statuses.items())),
                "older_file_served": sum(o["older"] for o in ok),
                "p50_ms": round(percentile([o["seconds"] * 1000 for o in ok], 0.5), 1),
                "p95_ms": round(percentile([o["seconds"] * 1000 for o in ok], 0.95), 1),
                "mean_mb": round(sum(o["bytes"] for o in ok) / len(ok) / 1e6, 1) if ok else 0}


class JobWorker:
    """`manage.py procrastinate worker` beside gunicorn, with the same environment; stopped with SIGTERM."""

    def __init__(self, folder: Path):
        self.log = open(folder / "worker.log", "ab")
        # niced as deploy/systemd/gis-portal-worker.service runs it
        self.process = subprocess.Popen(["nice", "-n", "10", sys.executable, "manage.py", "procrastinate", "worker"], cwd=ROOT,
                                        env={**os.environ, "LOG_LEVEL": "INFO"}, stdout=self.log, stderr=self.log)

    def wait_ready(self, folder: Path, seconds: float = 120) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if "Starting worker" in (folder / "worker.log").read_text(errors="replace"):
                return
            if self.process.poll() is not None:
                raise SystemExit(f"the job worker stopped; see {folder / 'worker.log'}")
            time.sleep(0.2)
        raise SystemExit(f"the job worker did not start in {seconds:.0f} s; see {folder / 'worker.log'}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=180)
            except subprocess.TimeoutExpired:
                self.process.kill()


def job_counts() -> dict:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT task_name, status, count(*) FROM procrastinate_jobs GROUP BY 1, 2 ORDER BY 1, 2")
        rows = cursor.fetchall()  # succeeded jobs are deleted by the worker (delete_jobs=successful)
    counts = {f"{task} {status}": n for task, status, n in rows}
    close_database()
    return counts


def download_after_jobs(port: int, seconds: float = 300) -> dict:
    """Once no download job waits or runs (the worker has caught up), the current file is served: its answer."""
    from django.db import connection

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM procrastinate_jobs WHERE task_name = 'layers.write_download' "
                           "AND status IN ('todo', 'doing')")
            busy = cursor.fetchone()[0]
        close_database()
        if not busy:
            break
        time.sleep(1)
    connection_ = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    connection_.request("GET", DOWNLOAD, headers=PROXY_HEADERS)
    response = connection_.getresponse()
    size = len(response.read())
    return {"status": response.status, "older": response.getheader("X-Newer-Version") is not None, "bytes": size}


def insert_reports(count: int) -> int:
    from django.db import connection

    from bench.common import insert_synthetic_issues

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM issues_issue")
        have = cursor.fetchone()[0]
    added = insert_synthetic_issues(count - have) if have < count else 0
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE issues_issue")
        cursor.execute("SELECT count(*) FROM ogc_public_issues")
        public = cursor.fetchone()[0]
    close_database()
    print(f"reports: {added} synthetic added, {public} public", flush=True)
    return public


class SmokeStack(Stack):
    """The stack on the DATABASE_URL's database (no cluster of its own), as the test suite runs it."""

    def up(self) -> None:
        os.environ.update(self.environment())
        import django

        django.setup()
        close_database()
        self.sink = MailSink(self.smtp_port, self.folder)
        self.start_server()

    def environment(self) -> dict:
        class Given:
            url = os.environ["DATABASE_URL"]
        self.cluster = self.cluster or Given()
        environment = super().environment()
        # the given database's rasters are where its loader put them (HAZARD_DATA_DIR, else the settings' default)
        environment.pop("HAZARD_DATA_DIR")
        return environment

    def down(self, keep: bool = False) -> None:
        self.cluster = None
        super().down(keep=keep)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, a few seconds, on the DATABASE_URL's database")
    options = parser.parse_args()
    smoke = options.smoke
    seconds = 5 if smoke else env_int("MIXED_SECONDS", 60)
    reports = 0 if smoke else env_int("MIXED_REPORTS", 200_000)  # smoke: the database's own reports (a shared copy)
    mix_clients, download_clients = (6, 2) if smoke else (MIX_CLIENTS, DOWNLOAD_CLIENTS)
    first = free_port() if smoke else env_int("MIXED_PORT", 8170)
    ports = dict(http_port=first, pg_port=first + 1, smtp_port=free_port() if smoke else first + 2)
    os.environ.setdefault("GUNICORN_WORKERS", "2" if smoke else "4")
    stack = (SmokeStack if smoke else Stack)(workers=int(os.environ["GUNICORN_WORKERS"]), **ports)
    os.environ["LAYER_DOWNLOAD_DIR"] = str(stack.folder / "downloads")
    os.environ["DJANGO_SETTINGS_MODULE"] = "gis_portal.settings.production"
    from scripts import nginx_cache_check  # LocalNginx: nginx from the recipe, as the tests start it

    nginx_check = nginx_cache_check if os.environ.get("MIXED_NGINX", "1") == "1" else None
    if nginx_check is not None and not Path(nginx_check.NGINX).exists():
        print("nginx is not installed: clients talk to gunicorn (scripts/install_system.sh installs nginx)")
        nginx_check = None
    if nginx_check is None:
        os.environ["DOWNLOADS_ACCEL_REDIRECT_PREFIX"] = ""  # gunicorn sends the files itself
    nginx = None
    if smoke:
        os.environ["DOWNLOAD_REFRESH_SECONDS"] = "2"
    problems: list[str] = []
    worker = None
    try:
        stack.up()
        port = stack.http_port
        if nginx_check is not None:
            downloads = stack.folder / "downloads"
            downloads.mkdir(exist_ok=True)
            stack.folder.chmod(0o755)  # nginx's workers (www-data) read the files the job worker writes there
            nginx = nginx_check.LocalNginx(f"http://127.0.0.1:{stack.http_port}", downloads, scheme="https").__enter__()
            port = nginx.port
            print(f"nginx on 127.0.0.1:{port} in front of gunicorn, sending the download files", flush=True)
        public = insert_reports(reports)
        worker = JobWorker(stack.folder)
        worker.wait_ready(stack.folder)
        first_file = download_after_jobs(port, seconds=0)  # queues the first file (503) ...
        first_file = download_after_jobs(port)  # ... and once the worker wrote it, it is served
        print(f"first file: {first_file}", flush=True)
        context = make_context(8, f"mixed-{int(time.time())}" if smoke else "mixed")
        close_database()
        warm = [p for p in make_plan(context, 100 if smoke else 400, 9) if p.kind not in CREATES]
        drive(port, warm, Recorder(), clients=mix_clients, seconds=30)
        recorder = Recorder()
        phases = {}
        for number, (phase, seed) in enumerate((("without downloads", 11), ("with downloads", 12))):
            # each phase's reports have Idempotency-Keys of their own; the smoke run's database may hold no rasters
            plan = (p for p in make_plan(dataclasses.replace(context, run=f"{context.run}-{number}"), 100_000, seed)
                    if not (smoke and p.kind == "profile"))
            start = len(recorder.outcomes)
            load_before = os.getloadavg()[0]
            if phase == "with downloads":
                with DownloadClients(port, download_clients, float(os.environ.get("MIXED_DOWNLOAD_MBIT", 100))) as downloads:
                    wall = drive(port, plan, recorder, clients=mix_clients, seconds=seconds)
                download_figures = downloads.summary()
                download_outcomes = downloads.outcomes
            else:
                wall = drive(port, plan, recorder, clients=mix_clients, seconds=seconds)
            outcomes = recorder.outcomes[start:]
            phases[phase] = {"wall_seconds": round(wall, 1), "load_average_1min_before": round(load_before, 2),
                             "per_kind": latency_table(outcomes, wall)}
            print(f"\n== {phase}: {len(outcomes)} requests in {wall:.1f} s")
            print_table(phases[phase]["per_kind"])
            server_errors = [o for o in outcomes if o.status is not None and o.status >= 500]
            unanswered = [o for o in outcomes if o.status is None]
            unexpected = [o for o in outcomes if o.status is not None and o.status < 500 and o.status not in SUCCESS[o.kind]]
            for label, found in (("5xx answers", server_errors), ("unanswered", unanswered), ("unexpected", unexpected)):
                if found:
                    problems.append(f"{phase}: {len(found)} {label}: " + ", ".join(sorted({f'{o.kind} {o.status or o.error}' for o in found})[:5]))
        print(f"\ndownloads: {json.dumps(download_figures)}")
        bad_downloads = [o for o in download_outcomes if o["status"] not in (200, 503) or
                         (o["status"] == 503 and not o["retry_after"])]
        if bad_downloads:
            problems.append(f"{len(bad_downloads)} download answers other than 200 or 503 with Retry-After: "
                            + ", ".join(sorted({str(o['status'] or o.get('error')) for o in bad_downloads})))
        if not smoke and not any(o["status"] == 200 for o in download_outcomes):
            problems.append("no download was ever served")
        finished = download_after_jobs(port)
        print(f"after the queued jobs: {finished}")
        if finished.get("status") != 200 or finished.get("older"):
            problems.append(f"the current file was not served once the jobs had run: {finished}")
        late_503 = [o for o in download_outcomes if o["status"] == 503 and o is not download_outcomes[0]
                    and any(p["status"] == 200 for p in download_outcomes[:download_outcomes.index(o)])]
        if late_503:
            problems.append(f"{len(late_503)} downloads answered 503 after a file had been served")
        ratios = {}
        for kind in ("peer_health", "create"):
            base = phases["without downloads"]["per_kind"][kind]["p95_ms"]
            loaded = phases["with downloads"]["per_kind"][kind]["p95_ms"]
            ratios[kind] = round(loaded / base, 2) if base else None
            if not smoke and ratios[kind] is not None and ratios[kind] > BOUND:
                problems.append(f"{kind} p95 {loaded} ms with downloads is {ratios[kind]} times {base} ms without (bound {BOUND})")
        print(f"p95 with downloads / without: /healthz {ratios['peer_health']}, report create {ratios['create']}")
        worker.stop()
        from bench.reliability.checks import check_stored_then_delivered

        stored_problems, stored = check_stored_then_delivered(recorder, stack.sink.received, run=context.run)
        problems += stored_problems
        jobs = job_counts()
        print(f"reports: {json.dumps(stored['reports'])}\noutbox: {json.dumps(stored['outbox'])}\njobs left in the table: {json.dumps(jobs)}")
        results = {"date": time.strftime("%Y-%m-%d %H:%M %Z"), "smoke": smoke, "cores": os.cpu_count(),
                   "gunicorn_workers": stack.workers, "nginx_in_front": nginx is not None,
                   "download_mbit_per_client": float(os.environ.get("MIXED_DOWNLOAD_MBIT", 100)), "mix_clients": mix_clients, "download_clients": download_clients,
                   "public_reports": public, "seconds_per_phase": seconds, "phases": phases, "downloads": download_figures,
                   "p95_ratio_with_downloads": ratios, **stored, "jobs": jobs, "problems": problems}
        RESULTS.mkdir(parents=True, exist_ok=True)
        (RESULTS / ("bench_mixed_smoke.json" if smoke else "bench_mixed.json")).write_text(json.dumps(results, indent=2))
    finally:
        if worker is not None:
            worker.stop()
        if nginx is not None:
            nginx.__exit__(None, None, None)
        stack.down(keep=os.environ.get("MIXED_KEEP") == "1")
    for problem in problems:
        print(f"PROBLEM: {problem}")
    print("bench_mixed: " + ("passed" if not problems else f"{len(problems)} problems"))
    if smoke and not problems:
        print("smoke run of mixed: ok")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
