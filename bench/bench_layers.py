"""Map layers at /ogc/: vector tiles (z10, z14, z17) and /items?limit=1000 pages of the public issue reports
(1,000,000 synthetic points), each against tipg serving the same view from the same database in the same run,
requests interleaved so both servers see the same machine, and against the raw SQL time of the statements our
server runs (the floor); then GeoJSON built in SQL against djangorestframework-gis's serializer on the same rows.

Before timing anything it checks that both servers return the same content: the same number of features in
every tile, the same numberMatched and the same feature ids on every page.

Last, a deliberately slow filter (a CQL2 OR of up to SLOW_TERMS case-insensitive leading-wildcard LIKEs on the
reports' status, as many as a request line holds; no index can serve them) is sent to both: ours must give it up at the public time budget (503 + Retry-After) and answer
/healthz and the first page at once afterwards; tipg runs it to the end. BENCH_PARTS (tiles, items, throughput,
geojson, budget; all by default) chooses what a run measures.
"""
import http.client
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import datetime

from common import (ROOT, RESULTS, SMOKE, WORKERS, free_port, insert_synthetic_issues, production_env, run_clients,
                    run_sql, save, setup_django, sized, smoke_check, start_server, stop_server, summary_ms, tile_of, wait_until_up)
from common import statements_of as common_statements_of

REPORTS = sized(int(os.environ.get("BENCH_REPORTS", "1000000")), 500)
SAMPLES = sized(int(os.environ.get("BENCH_SAMPLES", "60")), 2)  # one-client requests per zoom, per server
ITEM_SAMPLES = sized(int(os.environ.get("BENCH_ITEM_SAMPLES", "12")), 1)  # one-client requests per page, per server
SECONDS = sized(float(os.environ.get("BENCH_SECONDS", "5")), 0.3)  # one block of concurrent load; two blocks per server
CLIENTS = sized([int(n) for n in os.environ.get("BENCH_CLIENTS", "4,16").split(",")], [2])
REPEATS = sized(int(os.environ.get("BENCH_REPEATS", "10")), 1)  # GeoJSON comparison, per size
OUR_PORT = free_port() if SMOKE else int(os.environ.get("BENCH_OUR_PORT", "8120"))
TIPG_PORT = free_port() if SMOKE else int(os.environ.get("BENCH_TIPG_PORT", "8121"))

PARTS = set(os.environ.get("BENCH_PARTS", "tiles,items,throughput,geojson,budget").split(","))
SLOW_TERMS = sized(300, 3)

TIPG_VENV = ROOT / "bench" / ".venv-tipg"
TIPG_REQUIREMENTS = ROOT / "bench" / "requirements-tipg.txt"
# The peer: always in a full run (installed when missing); in a smoke run only when already installed.
PEER = not SMOKE or (TIPG_VENV / ".installed").exists()
COLLECTION, VIEW = "public-issues", "ogc_public_issues"
# the view of the issue reports and the demo layers: both servers publish exactly these
PUBLISHED = [VIEW, "layers_district", "layers_heritagesite", "ogc_service_points", "ogc_hazard_zones"]
MUNICIPALITY = "9031"
TILE_SAMPLE = sized({10: None, 14: None, 17: 60}, {10: 2, 14: 2, 17: 2})  # every tile over the city, or a seeded sample of them
# (our collection, the same table or view for tipg, zoom): the reports at three zooms, and the district polygons
TILE_SETS = [("public-issues", VIEW, 10), ("public-issues", VIEW, 14), ("public-issues", VIEW, 17),
             ("districts", "layers_district", 14)]
CENTRE = "22.935,40.632,22.947,40.641"  # about 1 km x 1 km of the old town
ITEM_PAGES = {
    "first page": "limit=1000",
    "offset 100,000": "limit=1000&offset=100000",
    "offset 900,000": "limit=1000&offset=900000",
    "bbox 1 km², first page": f"limit=1000&bbox={CENTRE}",
    "bbox 1 km², offset 10,000": f"limit=1000&offset=10000&bbox={CENTRE}",
}
DEEP_NEXT = "next link at 900,000"  # ours by keyset (`after`, as our next links page), tipg by offset (as its do)


def add_keyset_page():
    """The page our `next` links give 900,000 features in: after the id of the 900,000th, beside tipg's offset."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id FROM {VIEW} ORDER BY id OFFSET 899999 LIMIT 1")
        row = cursor.fetchone()
    if row:
        ITEM_PAGES[DEEP_NEXT] = (f"limit=1000&after={row[0]}", "limit=1000&offset=900000")


def item_queries(query):
    """(our query, tipg's query) of an ITEM_PAGES entry: the same unless it names both."""
    return query if isinstance(query, tuple) else (query, query)


# --- data -----------------------------------------------------------------------------------------------------

def ensure_data() -> int:
    """At least REPORTS issue reports (synthetic ones added when short), planner statistics fresh."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM issues_issue")
        have = cursor.fetchone()[0]
        if have < REPORTS:
            start = time.perf_counter()
            insert_synthetic_issues(REPORTS - have)
            print(f"inserted {REPORTS - have} synthetic reports in {time.perf_counter() - start:.0f} s")
            cursor.execute("VACUUM issues_issue")
        cursor.execute("ANALYZE")
        cursor.execute("SELECT count(*) FROM issues_issue")
        return cursor.fetchone()[0]


def tile_addresses() -> dict[int, list[tuple[int, int, int]]]:
    """Per zoom, the tiles that cover the municipality (as a map of the city asks for them), or a seeded sample."""
    from django.db import connection

    addresses = {}
    with connection.cursor() as cursor:
        cursor.execute("SELECT ST_XMin(geom), ST_YMin(geom), ST_XMax(geom), ST_YMax(geom) FROM layers_municipality "
                       "WHERE code = %s", [MUNICIPALITY])
        west, south, east, north = cursor.fetchone()
        for z, sample in TILE_SAMPLE.items():
            (x0, y0), (x1, y1) = tile_of(west, north, z), tile_of(east, south, z)
            cursor.execute(
                "SELECT x, y FROM generate_series(%(x0)s, %(x1)s) AS x, generate_series(%(y0)s, %(y1)s) AS y, "
                "layers_municipality AS m WHERE m.code = %(code)s "
                "AND ST_Intersects(m.geom, ST_Transform(ST_TileEnvelope(%(z)s, x, y), 4326)) ORDER BY x, y",
                {"x0": x0, "x1": x1, "y0": y0, "y1": y1, "z": z, "code": MUNICIPALITY})
            tiles = [(z, x, y) for x, y in cursor.fetchall()]
            if sample and len(tiles) > sample:
                tiles = sorted(random.Random(z).sample(tiles, sample))
            addresses[z] = tiles
    return addresses


# --- the two servers ----------------------------------------------------------------------------------------------

def tipg_python() -> str:
    """tipg, pinned, in its own virtualenv beside the benchmarks (never in the project's requirements)."""
    python, marker = TIPG_VENV / "bin" / "python", TIPG_VENV / ".installed"
    if not marker.exists() or marker.stat().st_mtime < TIPG_REQUIREMENTS.stat().st_mtime:
        print("installing tipg into bench/.venv-tipg ...")
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(TIPG_VENV)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-r",
                        str(TIPG_REQUIREMENTS)], check=True)
        marker.touch()
    return str(python)


def start_tipg():
    """tipg under uvicorn on loopback, as many worker processes as gunicorn has, the same caps as ours."""
    from layers.ogc.tiles import MAX_FEATURES_PER_TILE
    from layers.features import MAX_LIMIT

    python = tipg_python()
    env = {
        "PATH": os.environ.get("PATH", ""), "HOME": os.environ.get("HOME", "/tmp"),
        "DATABASE_URL": os.environ["DATABASE_URL"].replace("postgis://", "postgresql://", 1),
        "TIPG_DB_SCHEMAS": '["public"]', "TIPG_DB_TABLES": json.dumps([f"public.{name}" for name in PUBLISHED]),
        "TIPG_MAX_FEATURES_PER_TILE": str(MAX_FEATURES_PER_TILE), "TIPG_MAX_FEATURES_PER_QUERY": str(MAX_LIMIT),
        "TIPG_CATALOG_TTL": "0",  # no catalogue refresh in the middle of a measurement
        "DB_MAX_CONN_SIZE": os.environ.get("BENCH_TIPG_POOL", "10"),  # per worker; smaller on a shared cluster
        f"TIPG_TABLE_CONFIG__public_{VIEW}__PK": "id", f"TIPG_TABLE_CONFIG__public_{VIEW}__GEOMCOL": "geom",
        f"TIPG_TABLE_CONFIG__public_{VIEW}__DATETIMECOL": "created_at",
    }
    command = [python, "-m", "uvicorn", "tipg.main:app", "--host", "127.0.0.1", "--port", str(TIPG_PORT),
               "--workers", str(WORKERS), "--log-level", "warning", "--no-access-log"]
    # in an empty directory: tipg also reads settings from a .env file in its working directory
    server = subprocess.Popen(command, cwd=tempfile.mkdtemp(prefix="bench-tipg-"), env=env)
    wait_until_up(server, TIPG_PORT, "tipg (uvicorn)")
    return server


def tile_paths(addresses):
    """{"public-issues z14": [(our path, tipg path), ...], ...} for the TILE_SETS."""
    return {f"{collection} z{z}": [(f"/ogc/collections/{collection}/tiles/WebMercatorQuad/{z}/{y}/{x}",
                                    f"/collections/public.{table}/tiles/WebMercatorQuad/{z}/{x}/{y}")
                                   for _, x, y in addresses[z]]
            for collection, table, z in TILE_SETS}


def our_items(query):
    return f"/ogc/collections/{COLLECTION}/items?{query}"


def tipg_items(query):
    return f"/collections/public.{VIEW}/items?{query}"


def get(port, path):
    """One GET on a new connection, as the load clients do: (status, body, seconds)."""
    start = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    connection.request("GET", path)
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, body, time.perf_counter() - start


# --- the floor: the same statements through psycopg -----------------------------------------------------------------

def statements_of(path):
    """The statements our view runs for `path` (bench/common.py), after a first request made its per-process state."""
    return common_statements_of(path)[0]


# --- content checks -----------------------------------------------------------------------------------------------

def tile_features(body):
    import mapbox_vector_tile

    if not body:
        return 0, set()
    layers = mapbox_vector_tile.decode(body)
    features = [f for layer in layers.values() for f in layer["features"]]
    return len(features), set(features[0]["properties"]) if features else set()


def check_tiles(tile_sets):
    """Every tile from both servers, decoded: the feature counts are compared (this is also the warm-up).
    Returns the status ours gives each tile (200, or 204 when empty), the counts, and per set how they differ."""
    expected, counts, check = {}, {}, {}
    for label, paths in tile_sets.items():
        counts[label], differing, totals, properties = [], [], {"ours": 0, "tipg": 0}, {}
        for ours_path, tipg_path in paths:
            ours_status, ours_body, _ = get(OUR_PORT, ours_path)
            tipg_status, tipg_body, _ = get(TIPG_PORT, tipg_path) if PEER else (200, b"", 0)
            if ours_status not in (200, 204) or tipg_status != 200:
                raise SystemExit(f"{ours_path}: ours {ours_status}, tipg {tipg_status}")
            (ours_n, ours_props), (tipg_n, tipg_props) = tile_features(ours_body), tile_features(tipg_body)
            totals["ours"] += ours_n
            totals["tipg"] += tipg_n
            if PEER and ours_n != tipg_n:
                differing.append(f"{ours_path}: {ours_n} vs {tipg_n}")
            if ours_props:
                properties = {"ours": sorted(ours_props), "tipg": sorted(tipg_props)}
            expected[ours_path] = ours_status
            counts[label].append(ours_n)
        check[label] = {"tiles": len(paths), "tiles_differing": len(differing), "features_ours": totals["ours"],
                        "features_tipg": totals["tipg"], "examples": differing[:3], "properties": properties}
    return expected, counts, check


def check_items():
    """Every page from both servers: numberMatched, the number of features and their ids must agree."""
    facts, mismatches = {}, []
    for label, query in ITEM_PAGES.items():
        ours_query, tipg_query = item_queries(query)
        ours_status, ours_body, _ = get(OUR_PORT, our_items(ours_query))
        if not PEER:
            if ours_status != 200:
                raise SystemExit(f"items {ours_query}: ours {ours_status}")
            ours = json.loads(ours_body)
            facts[label] = {"numberMatched": ours.get("numberMatched"), "features": len(ours["features"]),
                            "bytes_ours": len(ours_body)}
            continue
        tipg_status, tipg_body, _ = get(TIPG_PORT, tipg_items(tipg_query))
        if ours_status != 200 or tipg_status != 200:
            raise SystemExit(f"items {query}: ours {ours_status}, tipg {tipg_status}: {tipg_body[:200]!r}")
        ours, tipg = json.loads(ours_body), json.loads(tipg_body)
        ours_ids, tipg_ids = [f["id"] for f in ours["features"]], [f["id"] for f in tipg["features"]]
        facts[label] = {"numberMatched": ours.get("numberMatched"), "features": len(ours_ids), "bytes_ours": len(ours_body),
                        "bytes_tipg": len(tipg_body)}
        if ours.get("numberMatched") != tipg["numberMatched"] or ours_ids != tipg_ids:
            mismatches.append({"page": label, "ours": [ours.get("numberMatched"), len(ours_ids)],
                               "tipg": [tipg["numberMatched"], len(tipg_ids)], "same_ids": ours_ids == tipg_ids})
    return facts, mismatches


# --- measurements -------------------------------------------------------------------------------------------------

def interleaved(cases, samples):
    """One client. For each sample, one case: our server, tipg and the raw SQL, in an order that rotates, so all
    three see the same moment of the machine. cases: list of (our path, tipg path, statements)."""
    times = {"ours": [], "tipg": [], "sql": []} if PEER else {"ours": [], "sql": []}
    order = list(times)
    schedule = [cases[i % len(cases)] for i in range(max(samples, len(cases)))]
    random.Random(7).shuffle(schedule)
    for i, (ours_path, tipg_path, statements) in enumerate(schedule):
        runs = {"ours": lambda: get(OUR_PORT, ours_path)[2], "tipg": lambda: get(TIPG_PORT, tipg_path)[2],
                "sql": lambda: run_sql(statements)}
        for name in order[i % len(order):] + order[:i % len(order)]:
            times[name].append(runs[name]())
    return {name: summary_ms(values) for name, values in times.items()}


def throughput(paths, expected, concurrency):
    """`concurrency` clients on random tiles of the set, against each server in turn: ours, tipg, tipg, ours."""
    results = {"ours": ([], 0.0, 0), "tipg": ([], 0.0, 0)} if PEER else {"ours": ([], 0.0, 0)}
    for name in ("ours", "tipg", "tipg", "ours") if PEER else ("ours",):
        port = OUR_PORT if name == "ours" else TIPG_PORT

        def request(rng, name=name):
            ours_path, tipg_path = rng.choice(paths)
            if name == "ours":
                return "GET", ours_path, None, {}, expected[ours_path]
            return "GET", tipg_path, None, {}, 200

        latencies, errors, elapsed = run_clients(concurrency, request, SECONDS, port)
        smoke_check(not errors and bool(latencies), f"{name}, {concurrency} clients: {len(errors)} errors")
        so_far, seconds, failed = results[name]
        results[name] = (so_far + latencies, seconds + elapsed, failed + len(errors))
    out = {}
    for name, (latencies, seconds, failed) in results.items():
        out[name] = {**summary_ms(latencies), "requests_per_s": round(len(latencies) / seconds, 1), "errors": failed}
    return out


def geojson_comparison():
    """The same rows (the first n public issue reports) as a GeoJSON FeatureCollection: our SQL path against
    djangorestframework-gis's GeoFeatureModelSerializer rendered by DRF's JSONRenderer. In process, no HTTP."""
    from rest_framework import serializers
    from rest_framework.renderers import JSONRenderer
    from rest_framework_gis.serializers import GeoFeatureModelSerializer

    from issues.models import Issue
    from layers import features, registry
    from layers.ogc import crs

    class PublicIssueSerializer(GeoFeatureModelSerializer):
        """The properties of the ogc_public_issues view, the idiomatic drf-gis way."""
        service_code = serializers.CharField(source="category.service_code")
        category_en = serializers.CharField(source="category.name_en")
        category_el = serializers.CharField(source="category.name_el")
        open311_status = serializers.SerializerMethodField()
        district = serializers.CharField(source="district.code", allow_null=True)
        department = serializers.CharField(source="department.slug")

        class Meta:
            model = Issue
            geo_field = "location"
            fields = ["id", "service_code", "category_en", "category_el", "status", "open311_status", "priority",
                      "district", "department", "created_at", "updated_at"]

        def get_open311_status(self, issue):
            return "open" if issue.status in Issue.OPEN_STATUSES else "closed"

    collection = registry.get(COLLECTION)
    output = crs.resolve(None, "crs")

    def ours(n):
        rows = features.features(collection, features.where_clause(collection), output, limit=n, offset=0)
        return ('{"type": "FeatureCollection", "features": [' + ",".join(rows) + "]}").encode()

    def peer(n):
        rows = Issue.objects.select_related("category", "department", "district").order_by("id")[:n]
        return JSONRenderer().render(PublicIssueSerializer(rows, many=True).data)

    results = {}
    for n in sized((1000, 10000), (50,)):
        same = equivalent_geojson(json.loads(ours(n)), json.loads(peer(n)))
        smoke_check(same, f"GeoJSON of {n} reports: ours and drf-gis differ")
        times = {"ours": [], "drf_gis": []}
        for i in range(REPEATS):
            pair = [("ours", ours), ("drf_gis", peer)]
            for name, build in (pair if i % 2 == 0 else pair[::-1]):
                start = time.perf_counter()
                build(n)
                times[name].append(time.perf_counter() - start)
        results[n] = {"same_features": same, **{name: summary_ms(values) for name, values in times.items()}}
        results[n]["ratio_p50"] = round(results[n]["drf_gis"]["p50_ms"] / results[n]["ours"]["p50_ms"], 1)
    return results


def equivalent_geojson(ours, peer) -> bool:
    """Same ids in the same order, same property values (times compared as instants), points within 1e-6°."""
    def instant(value):
        return datetime.fromisoformat(value.replace("Z", "+00:00")) if isinstance(value, str) else value

    if len(ours["features"]) != len(peer["features"]):
        return False
    for a, b in zip(ours["features"], peer["features"]):
        if a["id"] != b["id"] or set(a["properties"]) != set(b["properties"]):
            return False
        for key, value in a["properties"].items():
            other = b["properties"][key]
            if key.endswith("_at"):
                value, other = instant(value), instant(other)
            if value != other:
                return False
        if any(abs(p - q) > 1e-6 for p, q in zip(a["geometry"]["coordinates"], b["geometry"]["coordinates"])):
            return False
    return True


def slow_filter() -> dict:
    """The deliberately slow filter against both servers (ours under the production public budget), then /healthz
    and the first page from ours straight after: the worker that gave the query up is free again."""
    from urllib.parse import urlencode

    terms = [f"CASEI(status) LIKE CASEI('%x{i}%')" for i in range(SLOW_TERMS)]
    while len(urlencode({"filter": " OR ".join(terms)})) > 7900:  # the request line within gunicorn's 8190
        terms.pop()
    text = " OR ".join(terms)
    query = urlencode({"limit": 10, "filter": text, "filter-lang": "cql2-text"})
    outcome = {"terms": len(terms), "filter_characters": len(text)}
    status, body, seconds = get(OUR_PORT, our_items(query))
    outcome["ours"] = {"status": status, "seconds": round(seconds, 2)}
    if status == 503:
        outcome["ours"]["message"] = json.loads(body).get("description", "")[:160]
    after = {path: get(OUR_PORT, path) for path in ("/healthz", our_items("limit=1000"))}
    outcome["ours_after"] = {path: {"status": st, "ms": round(sec * 1000, 1)} for path, (st, _, sec) in after.items()}
    smoke_check(status in (200, 503) and all(st == 200 for st, _, _ in after.values()),
                f"slow filter: ours {status}, then {[st for st, _, _ in after.values()]}")
    if PEER:
        try:
            status, body, seconds = get(TIPG_PORT, tipg_items(query))
            outcome["tipg"] = {"status": status, "seconds": round(seconds, 2)}
        except OSError as exc:
            outcome["tipg"] = {"error": exc.__class__.__name__}
    return outcome


# --- report -------------------------------------------------------------------------------------------------------

def ms(value):
    return f"{value:,.1f} ms" if value < 100 else f"{value:,.0f} ms"


def against_peer_and_floor(row):
    """ours p50 | ours p95 | tipg p50 | tipg p95 | raw SQL p50 | ours over SQL, as table cells."""
    ours, tipg, floor = row["ours"], row["tipg"], row["sql"]
    over = (ours["p50_ms"] / floor["p50_ms"] - 1) * 100
    return (f"{ms(ours['p50_ms'])} | {ms(ours['p95_ms'])} | {ms(tipg['p50_ms'])} | {ms(tipg['p95_ms'])} | "
            f"{ms(floor['p50_ms'])} | {over:+.0f}%")


def markdown(results) -> str:
    lines = ["Vector tiles, one client (requests interleaved: ours, tipg, raw SQL)", "",
             "| layer, zoom | tiles | features per tile (mean) | ours p50 | ours p95 | tipg p50 | tipg p95 | raw SQL p50 | ours over SQL |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for label, row in results["tiles"].items():
        lines.append(f"| {label} | {row['tiles']} | {row['features_mean']:,.0f} | {against_peer_and_floor(row)} |")
    lines += ["", "Vector tiles under load (blocks alternating ours, tipg, tipg, ours)", "",
              "| layer, zoom | clients | ours req/s | ours p50 | ours p95 | tipg req/s | tipg p50 | tipg p95 |",
              "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for label, levels in results["tile_throughput"].items():
        for clients, row in levels.items():
            lines.append(f"| {label} | {clients} | {row['ours']['requests_per_s']:,.1f} | {ms(row['ours']['p50_ms'])} | "
                         f"{ms(row['ours']['p95_ms'])} | {row['tipg']['requests_per_s']:,.1f} | "
                         f"{ms(row['tipg']['p50_ms'])} | {ms(row['tipg']['p95_ms'])} |")
    lines += ["", "`/items?limit=1000`, one client (interleaved)", "",
              "| page | numberMatched | ours p50 | ours p95 | tipg p50 | tipg p95 | raw SQL p50 | ours over SQL |",
              "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for label, row in results["items"].items():
        lines.append(f"| {label} | {row['numberMatched']:,} | {against_peer_and_floor(row)} |")
    lines += ["", "GeoJSON FeatureCollection of the same rows, in process", "",
              "| features | ours (SQL) p50 | drf-gis p50 | drf-gis / ours |", "|---:|---:|---:|---:|"]
    for n, row in results["geojson"].items():
        lines.append(f"| {n:,} | {ms(row['ours']['p50_ms'])} | {ms(row['drf_gis']['p50_ms'])} | {row['ratio_p50']}× |")
    if "slow_filter" in results:
        slow = results["slow_filter"]
        lines += ["", f"A slow filter ({slow['terms']} LIKE terms, {slow['filter_characters']:,} characters)", "",
                  "| server | status | seconds |", "|---|---:|---:|",
                  f"| ours | {slow['ours']['status']} | {slow['ours']['seconds']} |"]
        if "tipg" in slow:
            lines.append(f"| tipg | {slow['tipg'].get('status', slow['tipg'].get('error'))} | {slow['tipg'].get('seconds', '')} |")
        lines += [f"| ours, then {path} | {row['status']} | {row['ms'] / 1000:.3f} |" for path, row in slow["ours_after"].items()]
    return "\n".join(lines) + "\n"


def main():
    os.environ["DEBUG"] = "false"  # the in-process parts: no query log
    setup_django()
    load_before = os.getloadavg()
    reports = ensure_data()
    add_keyset_page()
    tile_sets = tile_paths(tile_addresses())
    print(f"{reports:,} reports; tiles: " + ", ".join(f"{label}: {len(t)}" for label, t in tile_sets.items()))
    ours_server, tipg_server = start_server(production_env(), port=OUR_PORT), None
    try:
        tipg_server = start_tipg() if PEER else None
        if not PEER:
            print("smoke run without the peer: bench/.venv-tipg is not installed")
        expected, counts, tile_check = check_tiles(tile_sets) if PARTS & {"tiles", "throughput"} else ({}, {}, {})
        item_facts, item_mismatches = check_items()
        for label, check in tile_check.items():
            print(f"content, {label}: {check['tiles_differing']} of {check['tiles']} tiles differ in count; features "
                  f"in all: ours {check['features_ours']:,}, tipg {check['features_tipg']:,}")
        print(f"content, items: {len(item_mismatches)} of {len(ITEM_PAGES)} pages differ (numberMatched, ids)")
        results = {
            "reports": reports, "workers_each": WORKERS, "load_average_before": [round(v, 2) for v in load_before],
            "content": {"tiles": tile_check, "item_mismatches": item_mismatches},
            "tiles": {}, "tile_throughput": {}, "items": {},
        }
        for label, paths in tile_sets.items() if "tiles" in PARTS else ():
            cases = [(ours_path, tipg_path, statements_of(ours_path)) for ours_path, tipg_path in paths]
            results["tiles"][label] = {"tiles": len(paths), "features_mean": sum(counts[label]) / len(counts[label]),
                                       "features_max": max(counts[label]), **interleaved(cases, SAMPLES)}
            print(f"tiles {label}: done")
        for label, query in ITEM_PAGES.items() if "items" in PARTS else ():
            ours_query, tipg_query = item_queries(query)
            cases = [(our_items(ours_query), tipg_items(tipg_query), statements_of(our_items(ours_query)))]
            results["items"][label] = {**item_facts[label], **interleaved(cases, ITEM_SAMPLES)}
            print(f"items {label}: done")
        for label, paths in tile_sets.items() if "throughput" in PARTS else ():
            if label.startswith(COLLECTION):
                results["tile_throughput"][label] = {n: throughput(paths, expected, n) for n in CLIENTS}
                print(f"throughput {label}: done")
        if "budget" in PARTS:
            results["slow_filter"] = slow_filter()
            print(f"slow filter: {results['slow_filter']}")
    finally:
        for server in (ours_server, tipg_server):
            stop_server(server)
    results["geojson"] = geojson_comparison() if "geojson" in PARTS else {}
    results["load_average_after"] = [round(v, 2) for v in os.getloadavg()]
    save("layers", results)
    if SMOKE:
        return 0
    table = markdown(results)
    (RESULTS / "layers.md").write_text(table)
    print(table)
    print(f"machine load average before {results['load_average_before']}, after {results['load_average_after']}")


if __name__ == "__main__":
    sys.exit(main())
