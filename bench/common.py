"""Shared by the benchmarks: Django set-up on the bench database, timing and percentile helpers."""
import http.client
import json
import os
import random
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
PORT = 8765
WORKERS = int(os.environ.get("BENCH_WORKERS", "4"))


def setup_django():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gis_portal.settings.dev")
    if "gis_portal_bench" not in os.environ.get("DATABASE_URL", ""):
        raise SystemExit("run the benchmarks through bench/run.sh: they need DATABASE_URL on gis_portal_bench")
    import django

    django.setup()


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


def save(name, data):
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
    subprocess.run([str(ROOT / ".venv" / "bin" / "python"), "manage.py", "collectstatic", "--noinput", "-v0"],
                   cwd=ROOT, env=env, check=True)
    return env


def start_server(env):
    """gunicorn with the production settings on 127.0.0.1:PORT, once /healthz answers."""
    command = [
        str(ROOT / ".venv" / "bin" / "gunicorn"), "gis_portal.wsgi", "--bind", f"127.0.0.1:{PORT}",
        "--workers", str(WORKERS), "--worker-class", "sync", "--log-level", "warning", "--backlog", "512",
    ]
    server = subprocess.Popen(command, cwd=ROOT, env=env)
    for _ in range(100):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=2)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return server
        except OSError:
            pass
        time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn did not come up")


def load(concurrency, make_request, seconds):
    latencies, errors = [], []
    lock = threading.Lock()
    stop_at = time.perf_counter() + seconds

    def client(index):
        rng = random.Random(index)
        local, local_errors = [], []
        while time.perf_counter() < stop_at:
            method, path, body, headers, expected = make_request(rng)
            start = time.perf_counter()
            try:
                connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
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
    elapsed = time.perf_counter() - started
    result = summary_ms(latencies)
    result.update({"requests_per_s": round(len(latencies) / elapsed, 1), "errors": len(errors),
                   "error_examples": sorted({str(e) for e in errors})[:3]})
    return result


