"""Shared by the benchmarks: Django set-up on the bench database, timing and percentile helpers."""
import http.client
import json
import math
import os
import random
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
# Smoke mode (`--smoke`): tiny sizes, a few seconds, on the database of whatever DATABASE_URL is given (the test
# suite gives a copy of its test database); nothing is saved to bench/results, and any failure exits non-zero.
SMOKE = "--smoke" in sys.argv[1:]


def sized(full, smoke):
    """The benchmark's size, or its smoke-mode size."""
    return smoke if SMOKE else full


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


PORT = free_port() if SMOKE else int(os.environ.get("BENCH_PORT", "8765"))
WORKERS = sized(int(os.environ.get("BENCH_WORKERS", "4")), 1)


def setup_django():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gis_portal.settings.dev")
    if not os.environ.get("DATABASE_URL"):
        raise SystemExit("set DATABASE_URL (bench/run.sh uses gis_portal_bench)")
    if not SMOKE and "gis_portal_bench" not in os.environ["DATABASE_URL"]:
        raise SystemExit("run the benchmarks through bench/run.sh: they need DATABASE_URL on gis_portal_bench "
                         "(or pass --smoke for a few-second run on any database)")
    import django

    django.setup()


def smoke_check(ok: bool, message: str) -> None:
    """In smoke mode a result that shows a failure (errors under load, nothing measured) ends the run non-zero."""
    if SMOKE and not ok:
        raise SystemExit(f"smoke run failed: {message}")


def percentile(values, fraction):
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def summary_ms(seconds):
    ms = [s * 1000 for s in seconds]
    return {
        "n": len(ms),
        "mean_ms": round(statistics.fmean(ms), 3),
        "p50_ms": round(percentile(ms, 0.50), 3),
        "p95_ms": round(percentile(ms, 0.95), 3),
        "p99_ms": round(percentile(ms, 0.99), 3),
    }


def tile_of(lon, lat, z):
    """The WebMercatorQuad column and row of the tile holding a lon/lat point at zoom z."""
    n = 2 ** z
    return int((lon + 180) / 360 * n), int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)


def save(name, data):
    if SMOKE:
        print(f"smoke run of {name}: ok (nothing saved)")
        print(json.dumps(data, indent=2, default=str)[:2000])
        return
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{name}.json").write_text(json.dumps(data, indent=2))
    print(json.dumps(data, indent=2))


def production_env() -> dict:
    """The environment of a production-like server on loopback (DEBUG off, no HTTPS redirect)."""
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="gis_portal.settings.production", SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1", SECURE_SSL_REDIRECT="false", DEBUG="false", LOG_LEVEL="WARNING",
        MEDIA_ROOT=tempfile.mkdtemp(prefix="bench-media-"),
    )
    if not (SMOKE and (ROOT / "staticfiles" / "staticfiles.json").exists()):  # smoke runs serve APIs only
        subprocess.run([str(ROOT / ".venv" / "bin" / "python"), "manage.py", "collectstatic", "--noinput", "-v0"],
                       cwd=ROOT, env=env, check=True)
    return env


def start_server(env, port=PORT):
    """gunicorn with the production settings on 127.0.0.1:port, once /healthz answers."""
    command = [
        str(ROOT / ".venv" / "bin" / "python"), "-m", "gunicorn", "gis_portal.wsgi", "--bind", f"127.0.0.1:{port}",
        "--workers", str(WORKERS), "--worker-class", "sync", "--log-level", "warning", "--backlog", "512",
    ]
    server = subprocess.Popen(command, cwd=ROOT, env=env)
    wait_until_up(server, port, "gunicorn")
    return server


def stop_server(server, timeout=30) -> None:
    """Stop a server started here: a graceful stop, or a kill when it takes longer than timeout seconds."""
    if server is None or server.poll() is not None:
        return
    server.terminate()
    try:
        server.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def wait_until_up(server, port, name, attempts=150):
    """Wait for GET /healthz on 127.0.0.1:port to answer 200; stop the server and give up otherwise."""
    for _ in range(attempts):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        if server.poll() is not None:
            break
        time.sleep(0.2)
    server.terminate()
    raise SystemExit(f"{name} did not come up on port {port}")


def load(concurrency, make_request, seconds, port=PORT):
    latencies, errors, elapsed = run_clients(concurrency, make_request, seconds, port)
    result = summary_ms(latencies)
    result.update({"requests_per_s": round(len(latencies) / elapsed, 1), "errors": len(errors),
                   "error_examples": sorted({str(e) for e in errors})[:3]})
    smoke_check(not errors and bool(latencies), f"load on port {port}: {len(latencies)} answers, errors {result['error_examples']}")
    return result


def run_clients(concurrency, make_request, seconds, port=PORT):
    """`concurrency` clients, each sending make_request(rng)'s requests for `seconds`, a new connection each.
    Returns the latencies of the answers with the expected status, the errors and the elapsed time."""
    latencies, errors = [], []
    lock = threading.Lock()
    stop_at = time.perf_counter() + seconds

    def client(index):
        rng = random.Random(index)
        local, local_errors = [], []
        while not (local or local_errors) or time.perf_counter() < stop_at:  # at least one request each
            method, path, body, headers, expected = make_request(rng)
            start = time.perf_counter()
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                connection.request(method, path, body=body, headers=headers)
                response = connection.getresponse()
                response.read()
                connection.close()
                if response.status != expected:
                    local_errors.append(response.status)
                else:
                    local.append(time.perf_counter() - start)
            except OSError as exc:
                local_errors.append(str(exc))
        with lock:
            latencies.extend(local)
            errors.extend(local_errors)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(concurrency)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, errors, time.perf_counter() - started


# Synthetic citizen reports: points inside the municipality (ST_GeneratePoints, fixed seed), categories in
# turn, dates over a year, all with the fallback department and no district (as before any routing).
SYNTHETIC_ISSUES = """
INSERT INTO issues_issue (token, category_id, description, attributes, location, address, address_id, zipcode,
    district_id, department_id, routing_note, status, close_reason, status_notes, priority, email, first_name,
    last_name, phone, device_id, account_id, media_url, photo, thumbnail, created_at, updated_at,
    reopened_count, version, priority_reason)
SELECT gen_random_uuid(), cats.ids[1 + (pt.n %% array_length(cats.ids, 1))], '', '{}', pt.geom, '', '', '',
    NULL, fallback.id, 'synthetic', 'new', '', '', 2, '', '', '', '', '', '', '', '', '',
    now() - (pt.n %% 365) * interval '1 day', now(), 0, 1, ''
FROM (SELECT dumped.geom, row_number() OVER () AS n
      FROM layers_municipality AS m, ST_Dump(ST_GeneratePoints(m.geom, %(count)s, 42)) AS dumped
      WHERE m.code = '9031') AS pt,
     (SELECT array_agg(id ORDER BY id) AS ids FROM issues_category) AS cats,
     (SELECT id FROM issues_department WHERE slug = 'citizen-service') AS fallback
"""


def insert_synthetic_issues(count: int) -> int:
    """Insert `count` synthetic reports (Django must be set up); returns the number inserted."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(SYNTHETIC_ISSUES, {"count": count})
        return cursor.rowcount
