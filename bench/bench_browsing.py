"""Browsing a process's proposals at scale: with BENCH_BROWSE_PROPOSALS (10,000) proposals in one process, the
filtered, paged proposal list through the API (GET /api/participation/processes/{slug}/proposals) and the process
page (GET /participation/{slug}/, and its list alone, ?part=list), each beside its raw SQL floor in the same run:
the statements the view ran, replayed through psycopg on the same connection (so the difference is Django, DRF,
the serializers and the templates).

In process (Django's test client), so it runs on any loaded database:
    bash bench/run.sh browsing                               # on the bench database
    DATABASE_URL=postgis://.../<db> .venv/bin/python bench/bench_browsing.py --smoke
"""
import os
import random
import sys
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import run_sql, save, setup_django, sized, smoke_check, statements_of, summary_ms  # noqa: E402

PROCESS = "bench-browsing"
PROPOSALS = sized(int(os.environ.get("BENCH_BROWSE_PROPOSALS", "10000")), 300)
REPEATS = sized(int(os.environ.get("BENCH_REPEATS", "20")), 2)
WORDS = ["Πλατεία", "δέντρα", "ποδηλατόδρομος", "παιδική χαρά", "φωτισμός", "πεζοδρόμιο", "Καμάρα", "παραλία",
         "bench", "shade", "ράμπα", "στάση λεωφορείου"]
CASES = {
    "newest, page 1": {},
    "state + category + district, most supported, page 3": {"state": "published", "category": "bench-mobility",
                                                            "district": "D2", "sort": "supported", "page": 3},
    "words without accents (πλατεια δεντρα)": {"q": "πλατεια δεντρα"},
    "random with a seed, page 5": {"sort": "random", "seed": "b1", "page": 5},
    "city-wide ideas": {"place": "without"},
}


def make_proposals(count: int) -> None:
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.utils import timezone

    from layers.models import District
    from participation.models import Phase, Process, Proposal, ProposalCategory, ProposalDistrict

    remove()
    rng = random.Random(3)
    now = timezone.now()
    districts = list(District.objects.order_by("code"))
    places = {d.pk: d.geom.point_on_surface for d in districts}
    with transaction.atomic():
        process = Process.objects.create(slug=PROCESS, kind="urban_planning", title_el="Μέτρηση", title_en="Benchmark",
                                         demo=True)
        Phase.objects.create(process=process, kind="supports", position=0, starts_at=now - timedelta(days=1),
                             ends_at=now + timedelta(days=30))
        categories = [ProposalCategory.objects.get_or_create(slug=f"bench-{name}", defaults={
            "name_el": name, "name_en": name})[0] for name in ("green", "mobility", "culture")]
        author = get_user_model().objects.create_user("bench-browsing-author")
        states = ["published"] * 6 + ["qualified", "accepted", "rejected", "evaluated", "selected", "done"]
        rows = []
        for n in range(count):
            district = districts[n % len(districts)]
            city_wide = n % 10 == 0
            rows.append(Proposal(
                process=process, author=author, category=categories[n % 3], state=rng.choice(states),
                title=f"{rng.choice(WORDS)} {rng.choice(WORDS)} {n}", body=" ".join(rng.choices(WORDS, k=30)),
                geom=None if city_wide else places[district.pk], district=None if city_wide else district,
                district_codes="" if city_wide else district.code, support_count=rng.randrange(0, 200),
                published_at=now - timedelta(minutes=n)))
        created = Proposal.objects.bulk_create(rows, batch_size=2000)
        ProposalDistrict.objects.bulk_create([ProposalDistrict(proposal=p, district=p.district, share=1.0)
                                              for p in created if p.district_id], batch_size=2000)


def remove() -> None:
    from django.contrib.auth import get_user_model

    from participation.models import Process, Proposal

    for process in Process.objects.filter(slug=PROCESS):
        Proposal.objects.filter(process=process).delete()
        process.delete()
    get_user_model().objects.filter(username="bench-browsing-author").delete()


def measure(path: str) -> dict:
    """Ours (the whole request in process) and the floor (its statements replayed), interleaved."""
    from django.test import Client

    statements, response = statements_of(path)
    client = Client(HTTP_HOST="127.0.0.1")
    ours, floor = [], []
    for _ in range(REPEATS):
        start = time.perf_counter()
        answer = client.get(path)
        ours.append(time.perf_counter() - start)
        smoke_check(answer.status_code == 200, f"{path}: {answer.status_code}")
        floor.append(run_sql(statements))
    ours_ms, floor_ms = summary_ms(ours), summary_ms(floor)
    return {"statements": len(statements), "bytes": len(response.content), "ours": ours_ms, "raw_sql_floor": floor_ms,
            "overhead_p50_ms": round(ours_ms["p50_ms"] - floor_ms["p50_ms"], 3)}


def main():
    setup_django()
    from django.conf import settings

    make_proposals(PROPOSALS)
    results = {"proposals": PROPOSALS, "repeats": REPEATS, "mode": "in process (Django test client)",
               "settings": os.environ["DJANGO_SETTINGS_MODULE"], "debug": settings.DEBUG}
    try:
        for name, params in CASES.items():
            api_params = {k: v for k, v in params.items() if k != "page"}
            api_params |= {"limit": 20, "offset": 20 * (params.get("page", 1) - 1)}
            results[name] = {
                "api": measure(f"/api/participation/processes/{PROCESS}/proposals?{urlencode(api_params)}"),
                "page": measure(f"/participation/{PROCESS}/?{urlencode(params)}"),
                "list part": measure(f"/participation/{PROCESS}/?{urlencode({**params, 'part': 'list'})}"),
            }
    finally:
        remove()
    save("browsing", results)


if __name__ == "__main__":
    main()
