"""Earthquake scenarios: the 1978 Thessaloniki preset over the municipality and its neighbours at 25 m cells, with
the district damage and the ranked exposure (target: under 2 s on 2 cores), through the project's own code path
(hazards/scenarios/: read, numpy ground motion and damage, the two GeoTIFFs registered as layers, exposure);
beside it, in the same run, the same sites and rupture through openquake.hazardlib's own calculation (PlanarSurface,
SiteCollection, ContextMaker) in bench/.venv-openquake when it is installed (sh bench/setup_openquake.sh): its time,
and how far its values are from ours.

    DATABASE_URL=postgis://.../<db> .venv/bin/python bench/bench_scenarios.py [--smoke]
--smoke: 200 m cells, one repeat, a few seconds; the peer only if its venv is already installed. The database
needs the demo data (make demo); each scenario made is deleted again.
"""
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, save  # noqa: E402

OPENQUAKE = ROOT / "bench" / ".venv-openquake" / "bin" / "python"


def main() -> None:
    smoke = "--smoke" in sys.argv
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gis_portal.settings.dev")
    import django

    django.setup()
    from rasterio.warp import transform as transform_points

    from hazards.scenarios.compute import GRID_CRS, ground_motion, prepare
    from hazards.scenarios.selectors import scenario_detail
    from hazards.scenarios.services import scenario_delete, scenario_inputs, scenario_run

    cell = 200.0 if smoke else float(os.environ.get("BENCH_CELL_M", "25"))
    repeats = 1 if smoke else int(os.environ.get("BENCH_REPEATS", "3"))
    inputs, name, preset = scenario_inputs({"preset": "thessaloniki-1978"})
    runs = []
    for _ in range(repeats):
        started = time.perf_counter()
        scenario, done = scenario_run(inputs=inputs, name=name, preset=preset, deadline_s=600.0, cell_m=cell)
        stored = time.perf_counter()
        detail = scenario_detail(scenario)
        finished = time.perf_counter()
        if not done or detail["status"] != "done" or len(detail["results"]["districts"]) == 0 or not detail.get("exposure"):
            raise SystemExit(f"the scenario did not finish: {detail['status']} {detail.get('error')}")
        runs.append({**detail["results"]["timings_s"], "exposure": round(finished - stored, 3),
                     "total": round(finished - started, 3)})
        grid = detail["results"]["grid"]
        scenario_delete(scenario=scenario)
    ours = {"cells": grid["width"] * grid["height"], "cell_m": cell, "runs": runs,
            "median_total_s": float(np.median([r["total"] for r in runs]))}
    result = {"scenario": name, "inputs": inputs.as_dict(), "ours": ours}

    if OPENQUAKE.exists():
        prepared = prepare(inputs, cell_m=cell)
        started = time.perf_counter()
        pga, _sigma = ground_motion(prepared)  # the median on every cell, as hazardlib computes it below
        ours_gmpe_s = time.perf_counter() - started
        xs, ys = prepared.grid.centres()
        lons, lats = transform_points(GRID_CRS, "EPSG:4326", xs.ravel(), ys.ravel())
        corners = prepared.rupture.corners()
        clon, clat = transform_points(GRID_CRS, "EPSG:4326", [c[0] for c in corners], [c[1] for c in corners])
        with tempfile.TemporaryDirectory(prefix="bench-openquake-") as folder:
            given, answer = Path(folder) / "in.npz", Path(folder) / "out.npz"
            np.savez(given, lons=np.asarray(lons), lats=np.asarray(lats), vs30=prepared.vs30.ravel().astype("float64"),
                     corners=np.array([[lo, la, c[2]] for lo, la, c in zip(clon, clat, corners)]),
                     hypocentre=np.array([inputs.lon, inputs.lat, inputs.depth_km]),
                     mag=inputs.magnitude, rake=inputs.rake, model=inputs.model)
            started = time.perf_counter()
            # smoke mode: hazardlib's numba functions run uncompiled, sparing the compile time on a few thousand sites
            env = {**os.environ, **({"NUMBA_DISABLE_JIT": "1"} if smoke else {})}
            run = subprocess.run([str(OPENQUAKE), str(ROOT / "bench" / "openquake_scenario.py"), str(given), str(answer)],
                                 capture_output=True, text=True, timeout=1800, env=env)
            wall = time.perf_counter() - started
            if run.returncode != 0:
                raise SystemExit(f"openquake failed: {run.stderr[-2000:]}")
            times = json.loads(run.stdout.strip().splitlines()[-1])
            theirs = np.load(answer)
            their_pga = np.full(pga.size, np.nan)
            their_pga[theirs["sids"]] = np.exp(theirs["ln_pga"])
            their_rjb = np.full(pga.size, np.nan)
            their_rjb[theirs["sids"]] = theirs["rjb"]
        relative = np.abs(pga.ravel() / their_pga - 1)
        rjb_diff = np.abs(prepared.rupture.rjb_km(xs, ys).ravel() - their_rjb)
        result["openquake"] = {
            "sites": times["sites"], "hazardlib_s": {k: round(v, 3) for k, v in times.items() if k.endswith("_s")},
            "process_wall_s": round(wall, 3), "ours_same_step_s": round(ours_gmpe_s, 3),
            "pga_relative_difference": {"median": float(np.nanmedian(relative)), "p99": float(np.nanpercentile(relative, 99)),
                                        "max": float(np.nanmax(relative)), "within_1_percent": float(np.nanmean(relative <= 0.01))},
            "rjb_difference_km": {"median": float(np.nanmedian(rjb_diff)), "max": float(np.nanmax(rjb_diff))},
        }
        if result["openquake"]["pga_relative_difference"]["within_1_percent"] < 0.99:
            raise SystemExit(f"ours and hazardlib differ by more than 1 % on over 1 % of the cells: {result['openquake']}")
    else:
        result["openquake"] = "not installed (sh bench/setup_openquake.sh)"
    save("scenarios", result)


if __name__ == "__main__":
    main()
