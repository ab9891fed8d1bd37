"""The scenario models against openquake.hazardlib (the committed table it made, and hazardlib itself when
bench/.venv-openquake exists), and their behaviour: shaking falls with distance, rises with magnitude, is
amplified on soft soil; intensity and damage probabilities by hand."""
import json
import math
import subprocess
from pathlib import Path

import numpy as np
import pytest

from hazards.scenarios import fragility
from hazards.scenarios.gmpe import MODELS, ln_pga, mmi_from_pga
from hazards.scenarios.rupture import rupture_for

ROOT = Path(__file__).resolve().parents[2]
TABLE = Path(__file__).parent / "data" / "hazardlib_reference.json"
OPENQUAKE = ROOT / "bench" / ".venv-openquake" / "bin" / "python"


def ours(row) -> tuple[float, float]:
    mean, sigma = ln_pga(row["model"], mag=row["mag"], rjb=np.array([row["rjb"]]), vs30=np.array([row["vs30"]]), rake=row["rake"])
    return math.exp(mean[0]), sigma


def test_models_agree_with_the_hazardlib_table_within_one_percent():
    table = json.loads(TABLE.read_text())
    rows = table["rows"]
    assert "openquake.hazardlib" in table["source"] and len(rows) >= 50
    assert {r["model"] for r in rows} == set(MODELS) and {r["mechanism"] for r in rows} == {"normal", "reverse", "strike-slip"}
    for row in rows:
        pga, sigma = ours(row)
        assert pga == pytest.approx(math.exp(row["ln_pga_g"]), rel=0.01), row
        assert sigma == pytest.approx(row["sigma_ln"], rel=0.01), row


def test_models_agree_with_hazardlib_itself_at_inputs_off_the_table():
    if not OPENQUAKE.exists():
        pytest.skip("bench/.venv-openquake is not installed (sh bench/setup_openquake.sh); the committed table is compared instead")
    random = np.random.default_rng(1978)
    rows = [{"model": model, "mag": round(float(random.uniform(5.0, 7.5)), 2), "rake": float(random.choice([-90.0, 90.0, 0.0])),
             "rjb": round(float(random.uniform(0, 95)), 2), "vs30": round(float(random.uniform(185, 1200)), 1)}
            for model in MODELS for _ in range(40)]
    answer = subprocess.run([str(OPENQUAKE), str(ROOT / "bench" / "openquake_reference.py"), "--json-in"], input=json.dumps(rows),
                            capture_output=True, text=True, timeout=120, check=True)
    for row in json.loads(answer.stdout):
        assert ours(row)[0] == pytest.approx(math.exp(row["ln_pga_g"]), rel=0.01), row


@pytest.mark.parametrize("model", list(MODELS))
def test_shaking_falls_with_distance(model):
    mean, _ = ln_pga(model, mag=6.5, rjb=np.array([0.0, 5, 10, 20, 40, 80]), vs30=np.full(6, 400.0), rake=-90)
    assert np.all(np.diff(mean) < 0)


@pytest.mark.parametrize("model", list(MODELS))
def test_shaking_rises_with_magnitude(model):
    values = [ln_pga(model, mag=m, rjb=np.array([15.0]), vs30=np.array([400.0]), rake=0)[0][0] for m in (5.0, 5.5, 6.0, 6.5, 7.0, 7.5)]
    assert np.all(np.diff(values) > 0)


@pytest.mark.parametrize("model", list(MODELS))
def test_soft_soil_amplifies(model):
    mean, _ = ln_pga(model, mag=6.5, rjb=np.array([20.0, 20.0]), vs30=np.array([200.0, 800.0]), rake=-90)
    assert math.exp(mean[0]) > 1.2 * math.exp(mean[1])


def test_akkar_bommer_by_hand_at_one_site():
    # log10 PGA (cm/s²) = b1 + b2 M + b3 M² + (b4 + b5 M) log10 √(R² + b6²) + b7 Ss + b9 Fn; M 6.5, Rjb 20 km, soft soil, normal
    m, r = 6.5, 20.0
    log10_cm = (1.43525 + 0.74866 * m - 0.06520 * m * m + (-2.72950 + 0.25139 * m) * math.log10(math.sqrt(r * r + 7.74959 ** 2))
                + 0.08320 - 0.05823)
    mean, sigma = ln_pga("akkar-bommer-2010", mag=m, rjb=np.array([r]), vs30=np.array([300.0]), rake=-90)
    assert math.exp(mean[0]) == pytest.approx(10 ** log10_cm / 980.665, rel=1e-6)
    assert sigma == pytest.approx(0.281646179 * math.log(10))


def test_worden_2012_intensity():
    # y = log10 PGA (cm/s²): below 1.57 MMI = 1.78 + 1.55 y, above MMI = -1.60 + 3.70 y
    assert mmi_from_pga(np.array([0.02]))[0] == pytest.approx(1.78 + 1.55 * math.log10(0.02 * 980.665))
    assert mmi_from_pga(np.array([0.25]))[0] == pytest.approx(-1.60 + 3.70 * math.log10(0.25 * 980.665))


def test_damage_state_probability_is_the_lognormal_cdf():
    curve = fragility.CLASSES["rc-infill-1960-1985"]  # C3MP: moderate at a median of 0.14 g, β 0.64
    hand = 0.5 * (1 + math.erf(math.log(0.15 / 0.14) / (0.64 * math.sqrt(2))))
    assert fragility.exceedance(curve, np.array([0.15]))[1, 0] == pytest.approx(hand, abs=1e-6)
    assert hand == pytest.approx(0.54, abs=0.01)  # the reference notes' figure
    shares = fragility.state_shares(curve, np.array([0.15]))
    assert sum(shares.values()) == pytest.approx(1.0) and shares["moderate"] == pytest.approx(hand - fragility.exceedance(curve, np.array([0.15]))[2, 0])


def test_a_finite_rupture_is_closer_than_its_epicentre_and_zero_above_it():
    rupture = rupture_for(x=0, y=0, depth_km=16, mag=6.5, rake=-90, strike=270, dip=45, finite=True)
    point = rupture_for(x=0, y=0, depth_km=16, mag=6.5, rake=-90, strike=270, dip=45, finite=False)
    xs, ys = np.array([0.0, 30_000.0]), np.array([0.0, 0.0])
    assert rupture.rjb_km(xs, ys)[0] == 0 and point.rjb_km(xs, ys)[1] == pytest.approx(30.0)
    assert rupture.rjb_km(xs, ys)[1] == pytest.approx(30.0 - rupture.length_km / 2, abs=1e-6)
    # dipping north: the surface projection lies north of the top edge, which is south of the epicentre
    (_, top_y, top), _, (_, bottom_y, bottom), _ = rupture.corners()
    assert top_y < 0 < bottom_y and top < 16 < bottom
