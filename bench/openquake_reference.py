"""Reference values of the scenario ground-motion models, from openquake.hazardlib itself.

Runs in bench/.venv-openquake (made by bench/setup_openquake.sh), never in the project's .venv:
    bench/.venv-openquake/bin/python bench/openquake_reference.py > tests/hazards/data/hazardlib_reference.json
For every model, magnitude, mechanism, Joyner-Boore distance and Vs30 below: ln of the median PGA (g) and the
total sigma, as hazardlib's ContextMaker computes them. tests/hazards/test_scenario_models.py compares the
project's numpy models with this table (and with hazardlib directly when the venv exists).
With --json-in, it reads [{"model", "mag", "rake", "rjb", "vs30"}, ...] from stdin and answers those instead.
"""
import json
import sys

import numpy as np
from openquake.baselib import __version__ as HAZARDLIB_VERSION
from openquake.hazardlib.contexts import simple_cmaker
from openquake.hazardlib.gsim.akkar_bommer_2010 import AkkarBommer2010
from openquake.hazardlib.gsim.boore_atkinson_2008 import BooreAtkinson2008

GSIMS = {"akkar-bommer-2010": AkkarBommer2010(), "boore-atkinson-2008": BooreAtkinson2008()}
MAGNITUDES = (5.0, 5.5, 6.0, 6.5, 7.0, 7.5)
RAKES = {"normal": -90.0, "reverse": 90.0, "strike-slip": 0.0}
DISTANCES_KM = (0.0, 3.0, 10.0, 25.0, 60.0, 95.0)
VS30 = (200.0, 300.0, 450.0, 800.0)


def compute(model: str, mag: float, rake: float, rjb: list[float], vs30: list[float]) -> tuple[list[float], list[float]]:
    cmaker = simple_cmaker([GSIMS[model]], ["PGA"])
    ctx = cmaker.new_ctx(len(rjb))
    ctx.mag, ctx.rake = mag, rake
    ctx.rjb, ctx.rrup, ctx.rx, ctx.vs30 = np.array(rjb), np.array(rjb), np.array(rjb), np.array(vs30)
    mean, sig, _tau, _phi = cmaker.get_mean_stds([ctx])[:, 0, 0]  # (4, G, M, N)
    return mean.tolist(), sig.tolist()


def main() -> None:
    if "--json-in" in sys.argv:
        rows = json.load(sys.stdin)
        for row in rows:
            mean, sig = compute(row["model"], row["mag"], row["rake"], [row["rjb"]], [row["vs30"]])
            row["ln_pga_g"], row["sigma_ln"] = mean[0], sig[0]
        json.dump(rows, sys.stdout)
        return
    rows = []
    pairs = [(r, v) for r in DISTANCES_KM for v in VS30]
    for model in GSIMS:
        for mag in MAGNITUDES:
            for mechanism, rake in RAKES.items():
                mean, sig = compute(model, mag, rake, [p[0] for p in pairs], [p[1] for p in pairs])
                rows += [{"model": model, "mag": mag, "mechanism": mechanism, "rake": rake, "rjb": r, "vs30": v,
                          "ln_pga_g": m, "sigma_ln": s} for (r, v), m, s in zip(pairs, mean, sig)]
    source = json.dumps(f"openquake.hazardlib {HAZARDLIB_VERSION} (openquake-engine), bench/openquake_reference.py")
    sys.stdout.write('{"source": ' + source + ',\n "rows": [\n' + ",\n".join(json.dumps(row) for row in rows) + "\n]}\n")


if __name__ == "__main__":
    main()
