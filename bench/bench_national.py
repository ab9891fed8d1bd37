"""National scale, simulated: the same code serving every Greek municipality, measured at ten times the reports of
the layers benchmark. Three questions (figures in docs/SCALING.md):

* routing: `district_for_point` (MapIt-style ST_Covers on subdivided pieces) against the demo's 6 districts, and
  against a synthetic Greece of 332 municipalities cut into about 6,000 districts (Voronoi cells of seeded points,
  segmentized so each boundary has real-boundary-like vertex counts; loaded into the real layers tables in a
  transaction that is rolled back);
* counts, items pages and vector tiles through the project's own SQL (layers/features.py, layers/ogc/tiles.py) on
  REPORTS_SMALL and REPORTS_LARGE reports (1,000,000 and 10,000,000) spread over those municipalities by a skewed
  population (Athens and Thessaloniki dense, islands sparse), in narrow tables of their own (schema
  bench_national: id, municipality, category, status, time, point), registered as layers for the run;
* what a per-municipality shard would hold: the same requests filtered to one municipality.

`--smoke`: 10,000 and 100,000 reports, 8 municipalities, a few samples, against DATABASE_URL's database; the
schema is dropped afterwards. Run by hand: `bash bench/run.sh national` (the schema is kept for re-runs).
"""
import argparse
import os
import random
import statistics
import sys
import time

from common import save, setup_django, summary_ms

GREECE = (19.6, 35.0, 28.2, 41.6)  # lon/lat box of the synthetic country
SCHEMA = "bench_national"
ATHENS, THESSALONIKI = (23.727, 37.984), (22.944, 40.634)


def parse():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, seconds; drops its schema afterwards")
    return parser.parse_args()


def sizes(smoke: bool) -> dict:
    if smoke:
        return {"municipalities": 8, "districts_each": 3, "small": 10_000, "large": 100_000, "samples": 3, "points": 30}
    return {"municipalities": int(os.environ.get("BENCH_MUNICIPALITIES", "332")), "districts_each": 18,
            "small": int(os.environ.get("BENCH_REPORTS_SMALL", "1000000")),
            "large": int(os.environ.get("BENCH_REPORTS_LARGE", "10000000")),
            "samples": int(os.environ.get("BENCH_SAMPLES", "30")), "points": int(os.environ.get("BENCH_POINTS", "2000"))}


def execute(statement, params=None):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.fetchall() if cursor.description else None


# --- the synthetic country -------------------------------------------------------------------------------------

def make_country(n: int, districts_each: int) -> None:
    """n municipalities (Voronoi cells of seeded points in GREECE, boundaries segmentized every ~200 m) with a
    skewed population, and their districts; kept in bench_national.municipality / district."""
    west, south, east, north = GREECE
    have = execute(f"SELECT count(*) FROM {SCHEMA}.municipality")[0][0] if _exists("municipality") else 0
    if have == n:
        return
    execute(f"DROP TABLE IF EXISTS {SCHEMA}.municipality, {SCHEMA}.district")
    execute(f"""
        CREATE TABLE {SCHEMA}.municipality AS
        WITH seeds AS (
            SELECT ST_Collect(ST_MakePoint(%(west)s + random() * (%(east)s - %(west)s),
                                           %(south)s + random() * (%(north)s - %(south)s))) AS pts
            FROM (SELECT setseed(0.42)) AS s, generate_series(1, %(n)s))
        SELECT (row_number() OVER ())::int AS code,
               ST_Multi(ST_Segmentize(ST_Intersection(cell.geom, ST_MakeEnvelope(%(west)s, %(south)s, %(east)s, %(north)s, 4326)), 0.002))::geometry(MultiPolygon, 4326) AS geom
        FROM seeds, ST_Dump(ST_VoronoiPolygons(ST_SetSRID(seeds.pts, 4326))) AS cell""",
            {"west": west, "south": south, "east": east, "north": north, "n": n})
    # population: Zipf-like over the municipalities (the first two stand for Athens and Thessaloniki)
    execute(f"ALTER TABLE {SCHEMA}.municipality ADD COLUMN weight float8")
    execute(f"UPDATE {SCHEMA}.municipality SET weight = 1.0 / code")
    execute(f"""
        CREATE TABLE {SCHEMA}.district AS
        SELECT m.code AS municipality, m.code * 100 + (row_number() OVER (PARTITION BY m.code))::int AS code,
               ST_Multi(ST_Segmentize(ST_Intersection(cell.geom, m.geom), 0.002))::geometry(MultiPolygon, 4326) AS geom
        FROM {SCHEMA}.municipality AS m,
             ST_Dump(ST_VoronoiPolygons(ST_GeneratePoints(m.geom, %(k)s, m.code))) AS cell
        WHERE ST_Intersects(cell.geom, m.geom)""", {"k": districts_each})
    execute(f"DELETE FROM {SCHEMA}.district WHERE ST_IsEmpty(geom) OR ST_Area(geom) = 0")


def _exists(table: str) -> bool:
    return execute("SELECT to_regclass(%s) IS NOT NULL", [f"{SCHEMA}.{table}"])[0][0]


def make_reports(table: str, count: int) -> float:
    """`count` reports in bench_national.<table>, over the municipalities by weight; seconds taken (0 if kept)."""
    if _exists(table) and execute(f"SELECT count(*) FROM {SCHEMA}.{table}")[0][0] == count:
        return 0.0
    start = time.perf_counter()
    execute(f"DROP TABLE IF EXISTS {SCHEMA}.{table}")
    execute(f"""CREATE TABLE {SCHEMA}.{table} (id bigint PRIMARY KEY, municipality int NOT NULL, category int NOT NULL,
                status text NOT NULL, created_at timestamptz NOT NULL, geom geometry(Point, 4326) NOT NULL)""")
    execute(f"""
        INSERT INTO {SCHEMA}.{table}
        SELECT row_number() OVER (), m.code, (row_number() OVER ()) %% 32, CASE WHEN random() < 0.7 THEN 'closed' ELSE 'open' END,
               now() - random() * interval '365 days', dumped.geom
        FROM (SELECT code, geom, greatest(1, round(%(count)s * weight / sum(weight) OVER ()))::int AS n
              FROM {SCHEMA}.municipality) AS m,
             ST_Dump(ST_GeneratePoints(m.geom, m.n, m.code)) AS dumped""", {"count": count})
    execute(f"CREATE INDEX ON {SCHEMA}.{table} USING gist (geom)")
    execute(f"CREATE INDEX ON {SCHEMA}.{table} (municipality, id)")
    execute(f"VACUUM ANALYZE {SCHEMA}.{table}")
    return time.perf_counter() - start


def register(table: str):
    from layers.registry import Collection, register as add

    collection = Collection(
        id=f"bench-{table}", title_en=table, title_el=table, description_en="", description_el="",
        table=table, id_column="id", geometry_type="Point", datetime_column="created_at",
        properties={"municipality": "integer", "category": "integer", "status": "string", "created_at": "datetime"},
        sources=(f"{SCHEMA}.{table}",))
    add(collection)
    return collection


# --- measurements ----------------------------------------------------------------------------------------------

def timed(function, samples: int) -> dict:
    times = []
    for _ in range(samples):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return summary_ms(times)


def routing(n_points: int, samples_country) -> dict:
    """district_for_point on random points of the served city (demo geography), then on random points of the
    synthetic country loaded into the layers tables (rolled back)."""
    from django.contrib.gis.geos import Point
    from django.db import transaction

    from layers.selectors import district_for_point

    rng = random.Random(3)
    city = [Point(THESSALONIKI[0] + rng.uniform(-0.03, 0.03), THESSALONIKI[1] + rng.uniform(-0.02, 0.02), srid=4326)
            for _ in range(n_points)]
    results = {"city": _route_all(district_for_point, city)}

    class Rollback(Exception):
        pass

    try:
        with transaction.atomic():
            execute(f"""INSERT INTO layers_municipality (code, name_el, name_en, geom, provenance, updated_at)
                        SELECT 'N' || code, 'Δήμος ' || code, 'Municipality ' || code, geom, 'synthetic', now()
                        FROM {SCHEMA}.municipality""")
            execute(f"""INSERT INTO layers_district (code, name_el, name_en, geom, provenance, updated_at, municipality_id, population)
                        SELECT 'N' || d.code, 'Κοινότητα ' || d.code, 'District ' || d.code, d.geom, 'synthetic', now(), m.id, NULL
                        FROM {SCHEMA}.district AS d JOIN layers_municipality AS m ON m.code = 'N' || d.municipality""")
            execute("ANALYZE layers_districtpiece")
            execute("ANALYZE layers_municipalitypiece")
            counts = execute("SELECT (SELECT count(*) FROM layers_district), (SELECT count(*) FROM layers_districtpiece), "
                             "(SELECT max(ST_NPoints(geom)) FROM layers_districtpiece)")[0]
            country = [Point(*xy, srid=4326) for (xy,) in samples_country(n_points)]
            results["country"] = _route_all(district_for_point, country)
            results["country"].update({"districts": counts[0], "pieces": counts[1], "max_vertices_per_piece": counts[2]})
            raise Rollback
    except Rollback:
        pass
    return results


def _route_all(route, points) -> dict:
    times, found = [], 0
    for point in points:
        start = time.perf_counter()
        place = route(point)
        times.append(time.perf_counter() - start)
        found += place.district is not None
    return {**summary_ms(times), "points": len(points), "in_a_district": found}


def country_points(n: int):
    """n report locations of the synthetic country (the reports' own distribution: dense where many live)."""
    return execute(f"SELECT ARRAY[ST_X(geom), ST_Y(geom)] FROM {SCHEMA}.reports_small TABLESAMPLE SYSTEM (1) "
                   "REPEATABLE (7) LIMIT %s", [n])


def layer_figures(collection, samples: int) -> dict:
    """Full count (what a count costs when the kept one is stale), the kept count, the first items page, a page
    by keyset at 90% of the way, by offset there, one municipality's count, and vector tiles (z8 over Athens'
    region, z14 in Athens, z14 in a sparse place)."""
    from layers import features
    from layers.ogc import crs
    from layers.ogc.tiles import tile

    table = f"{SCHEMA}.{collection.table}"
    whole = features.where_clause(collection)
    output = crs.resolve(None, "crs")
    total = execute(f"SELECT count(*) FROM {table}")[0][0]
    deep_offset = int(total * 0.9)
    deep_id = execute(f"SELECT id FROM {table} ORDER BY id OFFSET %s LIMIT 1", [deep_offset - 1])[0][0]
    one_place = features.where_clause(collection, equals={"municipality": "1"})
    features._counts.clear()

    def full_count():
        features._counts.clear()
        return features.count(collection, whole, filtered=False)

    figures = {
        "reports": total,
        "count, full (no kept count)": timed(full_count, max(3, samples // 5)),
        "count, kept for this data version": timed(lambda: features.count(collection, whole, filtered=False), samples),
        "items limit=1000, first page": timed(lambda: features.page(collection, whole, output, limit=1001), samples),
        "items limit=1000, next link at 90%": timed(
            lambda: features.page(collection, whole, output, limit=1001, after=deep_id), samples),
        "items limit=1000, offset at 90%": timed(
            lambda: features.page(collection, whole, output, limit=1001, offset=deep_offset), max(3, samples // 5)),
        "one municipality (Athens), count": timed(lambda: (features._counts.clear(),
                                                           features.count(collection, one_place)), samples),
    }
    for label, (z, lon, lat) in {"tile z8 (Attica)": (8, *ATHENS), "tile z14 (Athens centre)": (14, *ATHENS),
                                 "tile z14 (Thessaloniki centre)": (14, *THESSALONIKI)}.items():
        x, y = _tile_of(lon, lat, z)
        sizes = []

        def one_tile(z=z, x=x, y=y):
            sizes.append(len(tile(collection, z, x, y) or b""))

        figures[label] = {**timed(one_tile, samples), "bytes": int(statistics.median(sizes))}
    return figures


def _tile_of(lon, lat, z):
    from common import tile_of

    return tile_of(lon, lat, z)


def main():
    arguments = parse()
    os.environ["DEBUG"] = "false"
    if arguments.smoke:
        sys.path.insert(0, str(__import__("common").ROOT))
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gis_portal.settings.dev")
        import django

        django.setup()
    else:
        setup_django()
    n = sizes(arguments.smoke)
    execute(f"CREATE SCHEMA IF NOT EXISTS {SCHEMA}")
    execute(f"SET search_path TO {SCHEMA}, public")  # the layer SQL names the report tables without their schema
    try:
        start = time.perf_counter()
        make_country(n["municipalities"], n["districts_each"])
        made = {"country_s": round(time.perf_counter() - start, 1),
                "reports_small_s": round(make_reports("reports_small", n["small"]), 1),
                "reports_large_s": round(make_reports("reports_large", n["large"]), 1)}
        print(f"data: {made}")
        results = {"sizes": n, "made": made, "load_average_before": os.getloadavg()}
        results["routing"] = routing(n["points"], country_points)
        print("routing: done")
        for name in ("reports_small", "reports_large"):
            results[name] = layer_figures(register(name), n["samples"])
            print(f"{name}: done")
        results["load_average_after"] = os.getloadavg()
        if arguments.smoke:
            assert results["routing"]["country"]["in_a_district"] > 0, "no synthetic district covered a report"
            assert results["reports_large"]["reports"] > results["reports_small"]["reports"]
            print("smoke run of national: ok")
        else:
            save("national", results)
            print(markdown(results))
    finally:
        if arguments.smoke:
            execute(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE")


def markdown(results) -> str:
    small, large = results["reports_small"], results["reports_large"]
    lines = ["| measurement | " + f"{small['reports']:,} reports | {large['reports']:,} reports | ratio |", "|---|---:|---:|---:|"]
    for label in small:
        if label == "reports":
            continue
        a, b = small[label]["p50_ms"], large[label]["p50_ms"]
        lines.append(f"| {label} | {a:,.1f} ms | {b:,.1f} ms | {b / a:.1f}× |")
    city, country = results["routing"]["city"], results["routing"]["country"]
    lines += ["", "| routing (`district_for_point`) | p50 | p95 |", "|---|---:|---:|",
              f"| the city (6 districts) | {city['p50_ms']:.2f} ms | {city['p95_ms']:.2f} ms |",
              f"| the country ({country['districts']:,} districts, {country['pieces']:,} pieces) | "
              f"{country['p50_ms']:.2f} ms | {country['p95_ms']:.2f} ms |"]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
