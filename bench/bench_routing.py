"""Database time of one routing decision, and point-in-polygon on subdivided pieces (ours) against whole polygons (peer)."""
import random
import time

from common import SMOKE, save, setup_django, sized, smoke_check, summary_ms

setup_django()

from django.contrib.gis.geos import Point  # noqa: E402
from django.db import connection  # noqa: E402

from issues.models import Category  # noqa: E402
from issues.routing import route_report  # noqa: E402
from layers.models import District  # noqa: E402

POINTS = sized(3000, 30)


class QueryTimer:
    """Sums the time spent inside the database driver, per decision."""

    def __init__(self):
        self.total = 0.0

    def __call__(self, execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.total += time.perf_counter() - start


def inside_points(n, seed=7):
    rng = random.Random(seed)
    minx, miny, maxx, maxy = District.objects.get(code="D1").municipality.geom.extent
    municipality = District.objects.get(code="D1").municipality.geom
    points = []
    while len(points) < n:
        p = Point(rng.uniform(minx, maxx), rng.uniform(miny, maxy), srid=4326)
        if municipality.contains(p):
            points.append(p)
    return points


def ours(points, categories):
    times = []
    for i, point in enumerate(points):
        timer = QueryTimer()
        with connection.execute_wrapper(timer):
            route_report(category=categories[i % len(categories)], point=point)
        times.append(timer.total)
    return times


LOOKUPS = {
    "district pieces (ours)": "SELECT p.district_id FROM layers_districtpiece p JOIN layers_district d ON d.id = p.district_id "
    "WHERE ST_Covers(p.geom, ST_SetSRID(ST_MakePoint(%s, %s), 4326)) ORDER BY d.code LIMIT 1",
    "whole districts (peer)": "SELECT id FROM layers_district WHERE ST_Covers(geom, ST_SetSRID(ST_MakePoint(%s, %s), 4326)) "
    "ORDER BY code LIMIT 1",
    "municipality pieces (ours)": "SELECT p.municipality_id FROM layers_municipalitypiece p JOIN layers_municipality m "
    "ON m.id = p.municipality_id WHERE ST_Covers(p.geom, ST_SetSRID(ST_MakePoint(%s, %s), 4326)) ORDER BY m.code LIMIT 1",
    "whole municipalities (peer)": "SELECT id FROM layers_municipality WHERE ST_Covers(geom, ST_SetSRID(ST_MakePoint(%s, %s), 4326)) "
    "ORDER BY code LIMIT 1",
}


def lookup(sql, points):
    """One point-in-polygon query per point, raw SQL for both sides so only the data layout differs."""
    times = []
    with connection.cursor() as cursor:
        for point in points:
            start = time.perf_counter()
            cursor.execute(sql, [point.x, point.y])
            cursor.fetchone()
            times.append(time.perf_counter() - start)
    return times


def import_real_boundaries():
    """The real Kallikratis boundaries (thousands of vertices), shipped in fixtures/."""
    from pathlib import Path

    from layers.services import boundaries_import

    path = Path(__file__).resolve().parents[1] / "fixtures" / "thessaloniki" / "kallikratis.geojson"
    if SMOKE or not path.exists():  # smoke runs keep the database's boundaries as they are
        return False
    boundaries_import(path=path, level="municipality", code_field="ypes_code", name_field="name_el", commit=True)
    return True


def region_points(n, seed=11):
    rng = random.Random(seed)
    return [Point(rng.uniform(22.85, 23.10), rng.uniform(40.56, 40.70), srid=4326) for _ in range(n)]


def main():
    real = import_real_boundaries()
    points = inside_points(POINTS)
    wide = region_points(POINTS)
    categories = list(Category.objects.all())
    ours(points[:200], categories)  # warm caches
    smoke_check(len(points) == POINTS and bool(categories), "no points inside the municipality, or no categories")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (SELECT max(ST_NPoints(geom)) FROM layers_municipality), (SELECT count(*) FROM layers_municipalitypiece),"
            " (SELECT max(ST_NPoints(geom)) FROM layers_district), (SELECT count(*) FROM layers_districtpiece)"
        )
        m_vertices, m_pieces, d_vertices, d_pieces = cursor.fetchone()
    result = {
        "points": POINTS,
        "real_municipal_boundaries": real,
        "municipality_max_vertices": m_vertices, "municipality_pieces": m_pieces,
        "district_max_vertices": d_vertices, "district_pieces": d_pieces,
        "full_routing_decision_db_time (district + rule, through the ORM)": summary_ms(ours(points, categories)),
    }
    for name, sql in LOOKUPS.items():
        sample = points if "district" in name else wide
        lookup(sql, sample[:200])
        result[f"lookup: {name}"] = summary_ms(lookup(sql, sample))
    save("routing", result)


if __name__ == "__main__":
    main()
