"""Participation under load, and its map layer on many proposals.

1. Ballots: BENCH_CLIENTS (32) clients cast BENCH_BALLOTS (20,000) ballots over seven budgets (six district
   knapsack budgets, one city-wide approval budget) through PUT /api/participation/budgets/{id}/ballot, with
   5 % of voters changing their ballot at the same moment and 2 % of requests over the budget (expected 400);
   the peer in the same run: Open311 create requests (POST /open311/v2/requests.json) at the same concurrency.
   Then the vote closes and the count opens the sealed ballots (timed). Afterwards, in the database: no sealed
   ballot left, ballots = voters who voted (one each), no ballot outside its budget's rule, every refused request
   stored nothing.
2. Tiles: BENCH_PROPOSALS (100,000) synthetic proposals (half points, a quarter lines, a quarter polygons); every
   z14 tile over the city through /ogc/collections/participation-proposals/tiles/..., in process, against the raw
   SQL floor: the statements our view ran, replayed through psycopg.

Full runs talk to gunicorn with the production settings (bench/run.sh participation). --smoke: tiny sizes, a few
seconds, in process (Django's test client) against the DATABASE_URL given; exits non-zero on any failure.
"""
import argparse
import json
import os
import random
import secrets
import sys
import threading
import time
import urllib.parse
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, production_env, run_sql, save, start_server, summary_ms, tile_of  # noqa: E402
from common import statements_of as common_statements_of  # noqa: E402

BENCH_PROCESS = "bench-ballots"
TILE_PROCESS = "bench-tiles"


def setup(smoke: bool):
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gis_portal.settings.dev")
    if not smoke and "gis_portal_bench" not in os.environ.get("DATABASE_URL", ""):
        raise SystemExit("run the full benchmark through bench/run.sh: it needs DATABASE_URL on gis_portal_bench")
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver", "127.0.0.1"]


# --- data ----------------------------------------------------------------------------------------------------------

def make_ballot_process(voter_count: int):
    """A process in its voting phase with seven budgets of twelve projects, and verified voters with API tokens."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone
    from rest_framework.authtoken.models import Token

    from layers.models import District
    from participation.models import Budget, Phase, Process, Project, Proposal, Verification

    for old in Process.objects.filter(slug=BENCH_PROCESS):
        Proposal.objects.filter(process=old).delete()
        old.delete()
    users = get_user_model()
    users.objects.filter(username__startswith="bench-voter-").delete()
    now = timezone.now()
    process = Process.objects.create(slug=BENCH_PROCESS, kind="participatory_budgeting", title_el="Μέτρηση",
                                     title_en="Benchmark", demo=True)
    for position, kind in enumerate(["proposals", "voting", "results"]):
        start = now + timedelta(days=(position - 1) * 30) - timedelta(days=1)
        Phase.objects.create(process=process, kind=kind, position=position, starts_at=start,
                             ends_at=start + timedelta(days=30))
    rng = random.Random(7)
    districts = list(District.objects.order_by("code"))
    budgets = [Budget.objects.create(process=process, district=d, amount=1_000_000, minimum_share=50,
                                     title_el=d.name_el, title_en=d.name_en) for d in districts]
    budgets.append(Budget.objects.create(process=process, amount=3_000_000, rule="approval", max_projects=5,
                                         title_el="Πόλη", title_en="City"))
    projects = {}
    for budget in budgets:
        projects[budget.id] = [Project.objects.create(budget=budget, title_el=f"Έργο {i}", title_en=f"Project {i}",
                                                      cost=rng.randrange(50_000, 400_000, 5_000)) for i in range(12)]
    created = users.objects.bulk_create([users(username=f"bench-voter-{n}", password="!") for n in range(voter_count)],
                                        batch_size=2000)
    Verification.objects.bulk_create([
        Verification(user=u, district=districts[n % len(districts)], residence_verified_at=now,
                     email_confirmed_at=now, email=f"{u.username}@bench.invalid") for n, u in enumerate(created)],
        batch_size=2000)
    tokens = Token.objects.bulk_create([Token(user=u, key=secrets.token_hex(20)) for u in created], batch_size=2000)
    voters = [(token.key, budgets[n % len(districts)]) for n, token in enumerate(tokens)]
    return budgets, projects, voters


def choice(rng, budget, projects, *, over: bool = False):
    if budget.rule == "approval":
        count = budget.max_projects + 1 if over else rng.randint(1, budget.max_projects)
        return [p.id for p in rng.sample(projects, count)]
    if over:
        return [p.id for p in projects]  # twelve projects of 50,000 to 400,000 exceed 1,000,000
    while True:
        chosen, spent = [], 0
        for project in rng.sample(projects, len(projects)):
            if spent + project.cost <= budget.amount:
                chosen.append(project.id)
                spent += project.cost
        if spent * 100 >= budget.amount * budget.minimum_share:
            return chosen


def work_items(budgets, projects, voters, ballots: int, seed: int = 11):
    """(token, budget, project ids, expected status): one ballot for each voter's district budget and the
    city budget, until `ballots`; 5 % of them sent twice with other choices, 2 % over budget."""
    rng = random.Random(seed)
    city = budgets[-1]
    items = []
    for token, district_budget in voters:
        for budget in (district_budget, city):
            if len(items) >= ballots:
                break
            items.append((token, budget.id, choice(rng, budget, projects[budget.id]), 200))
    extra = []
    for token, budget_id, _chosen, _ in rng.sample(items, len(items) // 20):
        budget = next(b for b in budgets if b.id == budget_id)
        extra.append((token, budget_id, choice(rng, budget, projects[budget_id]), 200))
    for token, budget_id, _chosen, _ in rng.sample(items, len(items) // 50):
        budget = next(b for b in budgets if b.id == budget_id)
        extra.append((token, budget_id, choice(rng, budget, projects[budget_id], over=True), 400))
    items.extend(extra)
    rng.shuffle(items)
    return items


# --- transports: gunicorn over HTTP, or Django's test client in process (smoke) -------------------------------------

class HttpTransport:
    def __init__(self, port):
        self.port = port

    def __call__(self, method, path, body, headers):
        import http.client

        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        response.read()
        connection.close()
        return response.status


class InProcessTransport:
    def __call__(self, method, path, body, headers):
        from django.test import Client

        extra = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items() if k != "Content-Type"}
        response = Client().generic(method, path, body or "", content_type=headers.get("Content-Type", ""), **extra)
        return response.status_code


def run_queue(transport, items, clients, make_request):
    """Clients take the next item until none is left; latencies of answers with the expected status."""
    from django.db import connections

    feed, lock = iter(items), threading.Lock()
    latencies, errors = [], []

    def client():
        local, local_errors = [], []
        while True:
            with lock:
                item = next(feed, None)
            if item is None:
                break
            method, path, body, headers, expected = make_request(item)
            start = time.perf_counter()
            try:
                status = transport(method, path, body, headers)
            except OSError as exc:
                local_errors.append(str(exc))
                continue
            (local if status == expected else local_errors).append(
                time.perf_counter() - start if status == expected else f"{path} {status} != {expected}")
        connections.close_all()
        with lock:
            latencies.extend(local)
            errors.extend(local_errors)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    result = summary_ms(latencies)
    result.update(requests_per_s=round(len(latencies) / elapsed, 1), errors=len(errors),
                  error_examples=sorted(set(map(str, errors)))[:3])
    return result


def ballot_request(item):
    token, budget_id, chosen, expected = item
    return ("PUT", f"/api/participation/budgets/{budget_id}/ballot", json.dumps({"projects": chosen}),
            {"Content-Type": "application/json", "Authorization": f"Token {token}"}, expected)


def open311_requests(count, seed=5):
    from django.contrib.gis.geos import GEOSGeometry
    from django.db import connection

    from issues.api_keys import api_key_create

    _key, raw = api_key_create(name=f"bench-participation-{secrets.token_hex(3)}", rate_limit_per_minute=100_000_000)
    with connection.cursor() as cursor:
        cursor.execute("SELECT ST_AsText((ST_Dump(ST_GeneratePoints(geom, 300, %s))).geom) FROM layers_municipality "
                       "WHERE code = '9031'", [seed])
        points = [GEOSGeometry(row[0]) for row in cursor.fetchall()]
    rng = random.Random(seed)
    items = []
    for _ in range(count):
        point = rng.choice(points)
        items.append(urllib.parse.urlencode({
            "api_key": raw, "service_code": rng.choice(["pothole", "street-light-out", "litter", "other"]),
            "lat": round(point.y, 6), "long": round(point.x, 6), "description": "benchmark report"}))
    return items


def open311_request(body):
    return "POST", "/open311/v2/requests.json", body, {"Content-Type": "application/x-www-form-urlencoded"}, 201


def ballot_count(budgets) -> dict:
    """The vote closes and the count opens the sealed ballots of every budget (shuffled batches): its time."""
    from django.utils import timezone

    from participation.models import Phase
    from participation.services.budgets import ballots_unseal

    process = budgets[0].process
    now = timezone.now()
    Phase.objects.filter(process=process, kind="results").delete()
    Phase.objects.filter(process=process, kind="voting").update(ends_at=now - timedelta(seconds=1))
    started = time.perf_counter()
    opened = sum(ballots_unseal(budget=budget) for budget in budgets)
    return {"opened": opened, "seconds": round(time.perf_counter() - started, 2)}


def ballot_checks(budgets, items, result) -> dict:
    """What must hold in the database after the run and the count."""
    from django.db import connection

    ids = [b.id for b in budgets]
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM participation_sealedballot WHERE budget_id = ANY(%s)", [ids])
        still_sealed = cursor.fetchone()[0]
        cursor.execute("SELECT (SELECT count(*) FROM participation_ballot WHERE budget_id = ANY(%s)), "
                       "(SELECT count(*) FROM participation_ballotcast WHERE budget_id = ANY(%s))", [ids, ids])
        ballots, casts = cursor.fetchone()
        cursor.execute("""
            SELECT count(*) FROM participation_ballot b JOIN participation_budget bu ON bu.id = b.budget_id
            WHERE b.budget_id = ANY(%s) AND (
                (bu.rule = 'knapsack' AND (SELECT sum(p.cost) FROM participation_ballotchoice c
                    JOIN participation_project p ON p.id = c.project_id WHERE c.ballot_id = b.id) > bu.amount)
             OR (bu.rule = 'approval' AND (SELECT count(*) FROM participation_ballotchoice c
                    WHERE c.ballot_id = b.id) > bu.max_projects)
             OR b.total_cost <> (SELECT coalesce(sum(p.cost), 0) FROM participation_ballotchoice c
                    JOIN participation_project p ON p.id = c.project_id WHERE c.ballot_id = b.id))""", [ids])
        outside_rule = cursor.fetchone()[0]
    voters_expected = len({(token, budget) for token, budget, _c, status in items if status == 200})
    return {"still_sealed": still_sealed, "ballots": ballots, "voters_recorded": casts,
            "voters_expected": voters_expected, "ballots_outside_their_rule": outside_rule,
            "ok": still_sealed == 0 and outside_rule == 0 and ballots == casts == voters_expected
            and result["errors"] == 0}


# --- tiles ---------------------------------------------------------------------------------------------------------

SYNTHETIC_PROPOSALS = """
WITH pts AS (
    SELECT dumped.geom, row_number() OVER () AS n
    FROM layers_municipality m, ST_Dump(ST_GeneratePoints(m.geom, %(count)s, 42)) AS dumped WHERE m.code = '9031'
), shaped AS (
    SELECT n, CASE WHEN n %% 4 IN (0, 1) THEN geom
                   WHEN n %% 4 = 2 THEN ST_MakeLine(geom, ST_Translate(geom, 0.0015 * cos(n), 0.0010 * sin(n)))
                   ELSE ST_Buffer(geom, 0.0004, 2) END AS geom, geom AS anchor
    FROM pts
)
INSERT INTO participation_proposal (process_id, title, body, category_id, author_id, geom, district_id, district_codes,
    state, answer, cost_estimate, feasibility, support_count, comment_count, from_issue_id, demo, created_at,
    published_at, updated_at)
SELECT %(process)s, 'Synthetic proposal ' || n, 'benchmark', NULL, %(author)s, s.geom, d.id, coalesce(d.code, ''),
       (ARRAY['published', 'qualified', 'accepted', 'evaluated'])[1 + n %% 4], '', NULL, '', (n %% 40)::integer, 0,
       NULL, true, now(), now() - (n %% 300) * interval '1 day', now()
FROM shaped s
LEFT JOIN LATERAL (SELECT dd.id, dd.code FROM layers_districtpiece pc JOIN layers_district dd ON dd.id = pc.district_id
                   WHERE ST_Covers(pc.geom, s.anchor) ORDER BY dd.code LIMIT 1) d ON TRUE
"""


def make_tile_process(count: int) -> int:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.utils import timezone

    from participation.models import Phase, Process, Proposal

    process = Process.objects.filter(slug=TILE_PROCESS).first()
    if process is not None and Proposal.objects.filter(process=process).count() == count:
        return count
    if process is not None:
        Proposal.objects.filter(process=process).delete()
        process.delete()
    now = timezone.now()
    process = Process.objects.create(slug=TILE_PROCESS, kind="urban_planning", title_el="Πλακίδια",
                                     title_en="Tiles", demo=True)
    Phase.objects.create(process=process, kind="supports", position=0, starts_at=now - timedelta(days=1),
                         ends_at=now + timedelta(days=60))
    author, _ = get_user_model().objects.get_or_create(username="bench-author")
    with connection.cursor() as cursor:
        cursor.execute(SYNTHETIC_PROPOSALS, {"count": count, "process": process.id, "author": author.id})
        cursor.execute("ANALYZE participation_proposal")
    return count


def city_tiles(z=14):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT ST_XMin(geom), ST_YMin(geom), ST_XMax(geom), ST_YMax(geom) FROM layers_municipality "
                       "WHERE code = '9031'")
        x1, y1, x2, y2 = cursor.fetchone()
    (c1, r1), (c2, r2) = tile_of(x1, y2, z), tile_of(x2, y1, z)
    return [(z, col, row) for col in range(c1, c2 + 1) for row in range(r1, r2 + 1)]


def statements_of(path):
    statements, response = common_statements_of(path, host="testserver", warm=False)
    return statements, len(response.content)


def tile_benchmark(repeats: int) -> dict:
    import mapbox_vector_tile
    from django.test import Client

    ours, floor, features, sizes = [], [], [], []
    client = Client()
    for z, x, y in city_tiles():
        path = f"/ogc/collections/participation-proposals/tiles/WebMercatorQuad/{z}/{y}/{x}"
        statements, size = statements_of(path)
        # only the tile statement and what the view runs around it (the snapshot, the change stamp)
        body = client.get(path).content
        decoded = mapbox_vector_tile.decode(body) if body else {}
        features.append(len(decoded.get("participation-proposals", {}).get("features", [])))
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
            "bytes_per_tile_max": max(sizes), "ours_in_process": ours_ms, "raw_sql_floor": floor_ms,
            "overhead_p50_ms": round(ours_ms["p50_ms"] - floor_ms["p50_ms"], 3)}


def remove_benchmark_data():
    """The smoke run leaves the database it was given as it found it (the test database, in the suite)."""
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from issues.models import ApiKey, Issue
    from participation.models import Process, Proposal

    with transaction.atomic():
        for process in Process.objects.filter(slug__in=[BENCH_PROCESS, TILE_PROCESS]):
            Proposal.objects.filter(process=process).delete()
            process.delete()
        keys = ApiKey.objects.filter(name__startswith="bench-participation-")
        Issue.objects.filter(api_key__in=keys).delete()
        keys.delete()
        get_user_model().objects.filter(username__startswith="bench-voter-").delete()
        get_user_model().objects.filter(username="bench-author").delete()


# --- main ----------------------------------------------------------------------------------------------------------

def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, in process, a few seconds")
    args = parser.parse_args()
    smoke = args.smoke
    ballots = 60 if smoke else int(os.environ.get("BENCH_BALLOTS", "20000"))
    clients = 4 if smoke else int(os.environ.get("BENCH_CLIENTS", "32"))
    proposals = 400 if smoke else int(os.environ.get("BENCH_PROPOSALS", "100000"))
    repeats = 1 if smoke else int(os.environ.get("BENCH_REPEATS", "5"))
    setup(smoke)
    from django.db import connection

    budgets, projects, voters = make_ballot_process((ballots + 1) // 2)
    items = work_items(budgets, projects, voters, ballots)
    creates = open311_requests(20 if smoke else int(os.environ.get("BENCH_CREATES", "3000")))
    connection.close()

    server = None
    if smoke:
        transport = InProcessTransport()
    else:
        server = start_server(production_env())
        transport = HttpTransport(int(os.environ.get("BENCH_PORT", "8765")))
    try:
        results = {"clients": clients, "cores": os.cpu_count(), "mode": "smoke, in process" if smoke else
                   "gunicorn, production settings, DEBUG off", "ballot_requests": len(items)}
        # interleaved halves, so that neither side has the quieter machine
        half = len(items) // 2
        first = run_queue(transport, items[:half], clients, ballot_request)
        peer_first = run_queue(transport, creates[:len(creates) // 2], clients, open311_request)
        second = run_queue(transport, items[half:], clients, ballot_request)
        peer_second = run_queue(transport, creates[len(creates) // 2:], clients, open311_request)
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=10)
    results["ballot PUT"] = {"first_half": first, "second_half": second}
    results["peer Open311 create"] = {"first_half": peer_first, "second_half": peer_second}
    results["count: sealed ballots opened in shuffled batches"] = ballot_count(budgets)
    results["after the run"] = ballot_checks(budgets, items, {"errors": first["errors"] + second["errors"]})
    make_tile_process(proposals)
    results[f"z14 tiles, {proposals} proposals"] = tile_benchmark(repeats)
    if smoke:
        remove_benchmark_data()
    save("participation", results)
    failures = [name for name, ok in [("ballots", results["after the run"]["ok"]),
                                      ("open311", peer_first["errors"] + peer_second["errors"] == 0)] if not ok]
    if failures:
        print(f"FAILED: {', '.join(failures)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
