"""Open311 create-request throughput and latency against gunicorn (production settings, DEBUG off).

The peer, in the same run on the same server: GET /healthz, a request through the same stack with one
trivial query, so the cost of a report (routing, duplicates, history, outbox) shows beside it.
"""
import http.client
import json
import os
import random
import secrets
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

from common import ROOT, save, summary_ms

PORT = 8765
WORKERS = int(os.environ.get("BENCH_WORKERS", "4"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "15"))
LEVELS = [1, 8, 32]
CATEGORIES = ["pothole", "street-light-out", "litter", "other", "blocked-drain"]


def inside_points(n=300, seed=3):
    from shapely.geometry import Point, shape

    collection = json.loads((ROOT / "fixtures" / "thessaloniki" / "municipality.geojson").read_text())
    outline = shape(collection["features"][0]["geometry"]).buffer(-0.0005)
    rng = random.Random(seed)
    minx, miny, maxx, maxy = outline.bounds
    points = []
    while len(points) < n:
        p = Point(rng.uniform(minx, maxx), rng.uniform(miny, maxy))
        if outline.contains(p):
            points.append((round(p.x, 6), round(p.y, 6)))
    return points


def start_server(env):
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


def main():
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="gis_portal.settings.production", SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1", SECURE_SSL_REDIRECT="false", DEBUG="false", LOG_LEVEL="WARNING",
        MEDIA_ROOT=tempfile.mkdtemp(prefix="bench-media-"),
    )
    key = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "python"), "manage.py", "issues_create_api_key", "benchmark", "--rate-limit", "100000000"],
        cwd=ROOT, env={**env, "DJANGO_SETTINGS_MODULE": "gis_portal.settings.dev"}, capture_output=True, text=True, check=True,
    ).stdout.strip()
    subprocess.run([str(ROOT / ".venv" / "bin" / "python"), "manage.py", "collectstatic", "--noinput", "-v0"],
                   cwd=ROOT, env=env, check=True)
    points = inside_points()

    def create(rng):
        lon, lat = rng.choice(points)
        body = urllib.parse.urlencode({
            "api_key": key, "service_code": rng.choice(CATEGORIES), "lat": lat, "long": lon,
            "description": "benchmark report", "email": "bench@example.org",
        })
        return "POST", "/open311/v2/requests.json", body, {"Content-Type": "application/x-www-form-urlencoded"}, 201

    def health(rng):
        return "GET", "/healthz", None, {}, 200

    server = start_server(env)
    try:
        load(4, create, 2)  # warm up every worker
        results = {"server": f"gunicorn, {WORKERS} sync workers, production settings, DEBUG off",
                   "seconds_per_level": SECONDS, "cores": os.cpu_count()}
        for level in LEVELS:
            results[f"create, {level} clients"] = load(level, create, SECONDS)
            results[f"peer GET /healthz, {level} clients"] = load(level, health, SECONDS)
    finally:
        server.terminate()
        server.wait(timeout=10)
    save("create", results)


if __name__ == "__main__":
    sys.exit(main())
