"""The peer of bench/bench_scenarios.py: the same sites and rupture through openquake.hazardlib's own calculation
(a PlanarSurface from the rupture's corners, a SiteCollection with each site's Vs30, ContextMaker.get_mean_stds),
in bench/.venv-openquake. Reads an .npz (lons, lats, vs30, corners [4 × lon, lat, depth], mag, rake, model),
writes an .npz (ln_pga, sigma, rjb) and prints the times as JSON.
    bench/.venv-openquake/bin/python bench/openquake_scenario.py IN.npz OUT.npz
"""
import json
import sys
import time

import numpy as np
from openquake.hazardlib.contexts import ContextMaker
from openquake.hazardlib.geo import Point
from openquake.hazardlib.geo.surface import PlanarSurface
from openquake.hazardlib.gsim.akkar_bommer_2010 import AkkarBommer2010
from openquake.hazardlib.gsim.boore_atkinson_2008 import BooreAtkinson2008
from openquake.hazardlib.site import SiteCollection
from openquake.hazardlib.source.rupture import BaseRupture

GSIMS = {"akkar-bommer-2010": AkkarBommer2010, "boore-atkinson-2008": BooreAtkinson2008}


class Site:
    """Reference site parameters for SiteCollection.from_points (Vs30 is set per site afterwards)."""

    reference_vs30_value = 760.0
    reference_vs30_type = "measured"
    reference_depth_to_1pt0km_per_sec = -999.0
    reference_depth_to_2pt5km_per_sec = -999.0


def main() -> None:
    data = np.load(sys.argv[1])
    started = time.perf_counter()
    corners = [Point(float(lon), float(lat), float(depth)) for lon, lat, depth in data["corners"]]
    surface = PlanarSurface.from_corner_points(*corners)
    mag, rake = float(data["mag"]), float(data["rake"])
    hypocentre = Point(*[float(v) for v in data["hypocentre"]])
    rupture = BaseRupture(mag, rake, "Active Shallow Crust", hypocentre, surface)
    sites = SiteCollection.from_points(data["lons"], data["lats"], sitemodel=Site(), req_site_params={"vs30"})
    sites.array["vs30"] = data["vs30"]
    built = time.perf_counter()
    gsim = GSIMS[str(data["model"])]()
    cmaker = ContextMaker("Active Shallow Crust", [gsim], {"imtls": {"PGA": [0]}, "mags": ["%.2f" % mag]})
    ctxs = list(cmaker.get_ctxs([rupture], sites))
    contexts = time.perf_counter()
    ctx = ctxs[0] if len(ctxs) == 1 else np.concatenate(ctxs).view(np.recarray)
    mean, sigma, _tau, _phi = cmaker.get_mean_stds([ctx])[:, 0, 0]
    done = time.perf_counter()
    order = np.argsort(ctx.sids)
    np.savez(sys.argv[2], ln_pga=mean[order], sigma=sigma[order], rjb=ctx.rjb[order], sids=ctx.sids[order])
    print(json.dumps({"sites": int(len(sites)), "build_s": built - started, "contexts_s": contexts - built,
                      "gmpe_s": done - contexts, "total_s": done - started}))


if __name__ == "__main__":
    main()
