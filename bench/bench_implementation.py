"""The implementation map's layer on many records: BENCH_IMPLEMENTATIONS (10,000) synthetic implementation records
(half points, a quarter lines, a quarter polygons; every status, progress and year) and every z14 tile over the city
through /ogc/collections/participation-implementation/tiles/..., in process, against the raw SQL floor: the
statements our view ran, replayed through psycopg, interleaved with ours.

Full runs: bash bench/run.sh implementation (the bench database). --smoke: tiny sizes, a few seconds, on the
DATABASE_URL given, leaving it as it found it; exits non-zero on any failure.
"""
import os
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import SMOKE, run_sql, save, setup_django, sized, smoke_check, summary_ms  # noqa: E402

PROCESS = "bench-implementation"
LAYER = "participation-implementation"

SYNTHETIC_RECORDS = """
WITH pts AS (
    SELECT dumped.geom, row_number() OVER () AS n
    FROM layers_municipality m, ST_Dump(ST_GeneratePoints(m.geom, %(count)s, 7)) AS dumped WHERE m.code = '9031'
), shaped AS (
    SELECT n, CASE WHEN n %% 4 IN (0, 1) THEN geom
                   WHEN n %% 4 = 2 THEN ST_MakeLine(geom, ST_Translate(geom, 0.0015 * cos(n), 0.0010 * sin(n)))
                   ELSE ST_Buffer(geom, 0.0004, 2) END AS geom
    FROM pts
), proposals AS (
    INSERT INTO participation_proposal (process_id, title, body, author_id, geom, district_codes, state, answer,
        feasibility, support_count, comment_count, demo, created_at, published_at, updated_at)
    SELECT %(process)s, 'Synthetic project ' || n, 'benchmark', %(author)s, geom, '', 'in_progress', '', '', 0, 0,
           true, now(), now(), now()
    FROM shaped
    RETURNING id, geom, title
)
INSERT INTO participation_implementation (process_id, proposal_id, title_el, title_en, geom, status, progress,
    starts_on, ends_on, cost, spent, cancel_reason, demo, created_at, updated_at)
SELECT %(process)s, p.id, p.title, p.title, p.geom, s.status,
       CASE s.status WHEN 'done' THEN 100 WHEN 'planned' THEN 0 ELSE (p.id %% 99) + 1 END,
       date '2024-01-01' + (p.id %% 700)::integer,
       CASE WHEN s.status = 'done' OR p.id %% 2 = 0 THEN date '2024-01-01' + (p.id %% 700)::integer + 120 END,
       50000 + (p.id %% 20) * 10000, (p.id %% 20) * 4000,
       CASE s.status WHEN 'cancelled' THEN 'benchmark' ELSE '' END, true, now(), now()
FROM proposals p
CROSS JOIN LATERAL (SELECT (ARRAY['planned', 'in_progress', 'in_progress', 'done', 'cancelled'])[1 + p.id %% 5]
                    AS status) s
"""


def make_records(count: int) -> int:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.utils import timezone

    from participation.models import Implementation, Phase, Process

    remove_records()
    now = timezone.now()
    process = Process.objects.create(slug=PROCESS, kind="urban_planning", title_el="Υλοποίηση", title_en="Implementation",
                                     demo=True)
    Phase.objects.create(process=process, kind="implementation", position=0, starts_at=now - timedelta(days=400),
                         ends_at=now + timedelta(days=400))
    author, _ = get_user_model().objects.get_or_create(username="bench-implementation-author")
    with connection.cursor() as cursor:
        cursor.execute(SYNTHETIC_RECORDS, {"count": count, "process": process.id, "author": author.id})
        cursor.execute("ANALYZE participation_implementation")
    return Implementation.objects.filter(process=process).count()


def remove_records() -> None:
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from participation.models import Implementation, Process, Proposal

    with transaction.atomic():
        for process in Process.objects.filter(slug=PROCESS):
            Implementation.objects.filter(process=process).delete()
            Proposal.objects.filter(process=process).delete()
            process.delete()
        get_user_model().objects.filter(username="bench-implementation-author").delete()


def tile_benchmark(repeats: int) -> dict:
    import mapbox_vector_tile
    from django.test import Client

    from bench_participation import city_tiles, statements_of

    ours, floor, features, sizes, statuses = [], [], [], [], set()
    client = Client()
    for z, x, y in city_tiles():
        path = f"/ogc/collections/{LAYER}/tiles/WebMercatorQuad/{z}/{y}/{x}"
        statements, size = statements_of(path)
        body = client.get(path).content
        decoded = mapbox_vector_tile.decode(body).get(LAYER, {}) if body else {}
        features.append(len(decoded.get("features", [])))
        statuses |= {f["properties"].get("status") for f in decoded.get("features", [])}
        sizes.append(size)
        for _ in range(repeats):  # interleaved: ours, then the floor
            start = time.perf_counter()
            response = client.get(path)
            ours.append(time.perf_counter() - start)
            if response.status_code not in (200, 204):
                raise SystemExit(f"{path}: {response.status_code}")
            floor.append(run_sql(statements))
    ours_ms, floor_ms = summary_ms(ours), summary_ms(floor)
    return {"tiles": len(features), "features_per_tile_max": max(features), "features_total": sum(features),
            "statuses": sorted(s for s in statuses if s), "bytes_per_tile_max": max(sizes),
            "ours_in_process": ours_ms, "raw_sql_floor": floor_ms,
            "overhead_p50_ms": round(ours_ms["p50_ms"] - floor_ms["p50_ms"], 3)}


def main() -> int:
    setup_django()
    from django.conf import settings

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver", "127.0.0.1"]
    count = sized(int(os.environ.get("BENCH_IMPLEMENTATIONS", "10000")), 200)
    repeats = sized(int(os.environ.get("BENCH_REPEATS", "5")), 1)
    made = make_records(count)
    try:
        result = tile_benchmark(repeats)
    finally:
        if SMOKE:
            remove_records()
    smoke_check(made == count and result["features_total"] > 0, f"{made} records made, {result['features_total']} "
                "features in the tiles")
    save("implementation", {"mode": "in process (Django's test client), the bench database",
                            "cores": os.cpu_count(), f"z14 tiles, {made} implementation records": result})
    return 0


if __name__ == "__main__":
    sys.exit(main())
