"""The printable pages made by folium, in process: the district hazard and exposure report and the KPI choropleth,
each against peers measured in the same run: the same figures without the page (folium and the template), and
what the planner map itself asks the API for one district.

Read-only (an unsaved administrator, no session), so it may run on any loaded database:
    bash bench/run.sh pages                                   # on the bench database
    DATABASE_URL=postgis://.../<db> .venv/bin/python bench/bench_pages.py
"""
import os
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, save, sized, summary_ms  # noqa: E402

REPEATS = sized(int(os.environ.get("BENCH_REPEATS", "5")), 1)


def timed(function, repeats=REPEATS):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return summary_ms(times)


def main():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gis_portal.settings.dev")
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.test import RequestFactory
    from django.utils import timezone

    from hazards.models import HazardLayer
    from hazards.pages.report import district_report_page
    from hazards.reports import district_report
    from hazards.exposure import exposure
    from hazards.selectors import area_statistics
    from issues import stats
    from issues.pages.figures import figures_map
    from layers.registry import exposure_collections
    from layers.models import District

    administrator = User(username="bench", is_superuser=True, is_staff=True)

    def get(view, path, **kwargs):
        request = RequestFactory().get(path, HTTP_HOST="127.0.0.1")
        request.user, request.LANGUAGE_CODE, request.csp_nonce = administrator, "en", "bench"
        response = view(request, **kwargs)
        assert response.status_code == 200, response.content[:300]
        return response

    districts = list(District.objects.order_by("code"))[:sized(None, 1)]
    layers = list(HazardLayer.objects.all())
    flood = next(layer for layer in layers if layer.slug == "flood-t100")
    ids = [c.id for c in exposure_collections()]
    results = {"districts": len(districts), "layers": len(layers), "repeats": REPEATS, "rows": {}}
    rows = results["rows"]
    rows["report page, every district (folium map, tables)"] = timed(
        lambda: [get(district_report_page, f"/planner/districts/{d.code}/report", code=d.code) for d in districts])
    rows["peer: the report's figures alone, every district"] = timed(
        lambda: [district_report(district=d) for d in districts])
    rows["peer: what the planner map asks for a district (area statistics + exposure of one layer), every district"] = timed(
        lambda: [(area_statistics(d.geom, layers=layers), exposure(layer=flood, collection_ids=ids)) for d in districts])
    scope = stats.StatsScope(start=timezone.now() - timedelta(days=365), end=timezone.now())
    rows["KPI choropleth page"] = timed(lambda: get(figures_map, "/staff/figures/map?metric=open"), REPEATS * 4)
    rows["peer: the per-district figures alone (kpi_districts.sql)"] = timed(lambda: stats.kpis_by_district(scope), REPEATS * 4)
    save("pages", results)


if __name__ == "__main__":
    main()
