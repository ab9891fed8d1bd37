"""Open311 create-request throughput and latency against gunicorn (production settings, DEBUG off).

The peer, in the same run on the same server: GET /healthz, a request through the same stack with one
trivial query, so the cost of a report (routing, duplicates, history, outbox) shows beside it.
"""
import json
import os
import random
import subprocess
import sys
import urllib.parse

from common import ROOT, load, production_env, save, sized, start_server, stop_server

SECONDS = sized(float(os.environ.get("BENCH_SECONDS", "15")), 0.5)
LEVELS = sized([1, 8, 32], [1, 2])
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


def main():
    env = production_env()
    key = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "python"), "manage.py", "issues_create_api_key", "benchmark", "--rate-limit", "100000000"],
        cwd=ROOT, env={**env, "DJANGO_SETTINGS_MODULE": "gis_portal.settings.dev"}, capture_output=True, text=True, check=True,
    ).stdout.strip()
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
        load(4, create, sized(2, 0.3))  # warm up every worker
        results = {"server": "gunicorn, 4 sync workers, production settings, DEBUG off",
                   "seconds_per_level": SECONDS, "cores": os.cpu_count()}
        for level in LEVELS:
            results[f"create, {level} clients"] = load(level, create, SECONDS)
            results[f"peer GET /healthz, {level} clients"] = load(level, health, SECONDS)
    finally:
        stop_server(server)
    save("create", results)


if __name__ == "__main__":
    sys.exit(main())
