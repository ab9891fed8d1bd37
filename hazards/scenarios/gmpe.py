"""Ground-motion models for peak ground acceleration, in numpy, vectorised over sites.

The same equations and coefficients as openquake.hazardlib 3.26.2 (AkkarBommer2010, BooreAtkinson2008), which
is the reference: tests/hazards/test_scenario_models.py compares these with hazardlib's own values (a committed
table made by bench/openquake_reference.py, and hazardlib itself when bench/.venv-openquake exists).
Each model returns the natural log of the median PGA in g and the total standard deviation (ln units).
"""
from dataclasses import dataclass

import numpy as np
from django.utils.translation import gettext as _

g = 9.80665  # standard gravity, m/s² (scipy.constants.g, as hazardlib uses)

MECHANISM_RAKE = {"normal": -90.0, "reverse": 90.0, "strike-slip": 0.0}


@dataclass(frozen=True)
class Validity:
    min_magnitude: float
    max_magnitude: float
    max_distance_km: float  # Joyner-Boore
    min_vs30: float
    max_vs30: float

    def problems(self, *, magnitude: float) -> list[str]:
        if not self.min_magnitude <= magnitude <= self.max_magnitude:
            return [_("magnitude %(magnitude)g is outside the model's range, Mw %(low)g to %(high)g")
                    % {"magnitude": magnitude, "low": self.min_magnitude, "high": self.max_magnitude}]
        return []


# --- Akkar & Bommer 2010 (PGA coefficients of Bommer, Akkar & Drouet 2012, as in hazardlib) ---------------------
AB10 = dict(b1=1.43525, b2=0.74866, b3=-0.06520, b4=-2.72950, b5=0.25139, b6=7.74959, b7=0.08320, b8=0.00766,
            b9=-0.05823, b10=0.07087, sigma_total=0.281646179)


def akkar_bommer_2010(mag: float, rjb: np.ndarray, vs30: np.ndarray, rake: float) -> tuple[np.ndarray, float]:
    C = AB10
    soft = (vs30 < 360.0).astype("float64")  # Ss
    stiff = ((vs30 >= 360.0) & (vs30 <= 750.0)).astype("float64")  # Sa
    normal = 1.0 if -135.0 <= rake <= -45.0 else 0.0
    reverse = 1.0 if 45.0 <= rake <= 135.0 else 0.0
    log10_cm = (C["b1"] + C["b2"] * mag + C["b3"] * mag ** 2
                + (C["b4"] + C["b5"] * mag) * np.log10(np.sqrt(rjb ** 2 + C["b6"] ** 2))
                + C["b7"] * soft + C["b8"] * stiff + C["b9"] * normal + C["b10"] * reverse)
    return np.log(10.0 ** (log10_cm - 2.0) / g), float(np.log(10 ** C["sigma_total"]))


# --- Boore & Atkinson 2008 (PGA row, with the nonlinear site term of Choi & Stewart as in the paper) ----------
BA08 = dict(c1=-0.66050, c2=0.11970, c3=-0.01151, h=1.35, e2=-0.50350, e3=-0.75472, e4=-0.50970, e5=0.28805,
            e6=-0.10164, e7=0.0, Mh=6.75, std=0.564, blin=-0.36, nl_b1=-0.64, nl_b2=-0.14)


def _ba08_fault(rake: float) -> tuple[float, float, float]:
    strike_slip = 1.0 if abs(rake) <= 30.0 or 180.0 - abs(rake) <= 30.0 else 0.0
    reverse = 1.0 if 30.0 < rake < 150.0 else 0.0
    normal = 1.0 if -150.0 < rake < -30.0 else 0.0
    return strike_slip, normal, reverse


def _ba08_nonlinear_slope(vs30: np.ndarray) -> np.ndarray:
    v1, v2, vref = 180.0, 300.0, 760.0
    b1, b2 = BA08["nl_b1"], BA08["nl_b2"]
    bnl = np.zeros_like(vs30)
    bnl[vs30 <= v1] = b1
    middle = (vs30 > v1) & (vs30 <= v2)
    bnl[middle] = (b1 - b2) * np.log(vs30[middle] / v2) / np.log(v1 / v2) + b2
    upper = (vs30 > v2) & (vs30 < vref)
    bnl[upper] = b2 * np.log(vs30[upper] / vref) / np.log(v2 / vref)
    return bnl


def _ba08_nonlinear_term(pga4nl: np.ndarray, bnl: np.ndarray) -> np.ndarray:
    a1, a2, pga_low = 0.03, 0.09, 0.06
    fnl = np.zeros_like(pga4nl)
    low = pga4nl <= a1
    fnl[low] = bnl[low] * np.log(pga_low / 0.1)
    middle = (pga4nl > a1) & (pga4nl <= a2)
    dx = np.log(a2 / a1)
    dy = bnl[middle] * np.log(a2 / pga_low)
    c = (3 * dy - bnl[middle] * dx) / dx ** 2
    d = -(2 * dy - bnl[middle] * dx) / dx ** 3
    fnl[middle] = bnl[middle] * np.log(pga_low / 0.1) + c * np.log(pga4nl[middle] / a1) ** 2 + d * np.log(pga4nl[middle] / a1) ** 3
    high = pga4nl > a2
    fnl[high] = bnl[high] * np.log(pga4nl[high] / 0.1)
    return fnl


def boore_atkinson_2008(mag: float, rjb: np.ndarray, vs30: np.ndarray, rake: float) -> tuple[np.ndarray, float]:
    C = BA08
    ss, ns, rs = _ba08_fault(rake)
    if mag <= C["Mh"]:
        magnitude = C["e2"] * ss + C["e3"] * ns + C["e4"] * rs + C["e5"] * (mag - C["Mh"]) + C["e6"] * (mag - C["Mh"]) ** 2
    else:
        magnitude = C["e2"] * ss + C["e3"] * ns + C["e4"] * rs + C["e7"] * (mag - C["Mh"])
    r = np.sqrt(rjb ** 2 + C["h"] ** 2)
    distance = (C["c1"] + C["c2"] * (mag - 4.5)) * np.log(r) + C["c3"] * (r - 1.0)
    pga4nl = np.exp(magnitude + distance)  # on rock (760 m/s), in g
    linear = C["blin"] * np.log(vs30 / 760.0)
    nonlinear = _ba08_nonlinear_term(pga4nl, _ba08_nonlinear_slope(vs30))
    return np.log(pga4nl) + linear + nonlinear, C["std"]


@dataclass(frozen=True)
class Model:
    id: str
    name: str
    hazardlib_class: str
    function: object
    validity: Validity


MODELS = {
    "akkar-bommer-2010": Model("akkar-bommer-2010", "Akkar & Bommer 2010", "AkkarBommer2010", akkar_bommer_2010,
                               Validity(5.0, 7.6, 100.0, 0.0, 10_000.0)),
    "boore-atkinson-2008": Model("boore-atkinson-2008", "Boore & Atkinson 2008", "BooreAtkinson2008", boore_atkinson_2008,
                                 Validity(5.0, 8.0, 200.0, 180.0, 1300.0)),
}


def ln_pga(model: str, *, mag: float, rjb: np.ndarray, vs30: np.ndarray, rake: float) -> tuple[np.ndarray, float]:
    """ln of the median PGA (g) at each site, and the total sigma (ln units)."""
    rjb = np.asarray(rjb, dtype="float64")
    vs30 = np.asarray(vs30, dtype="float64")
    return MODELS[model].function(mag, rjb, vs30, rake)


def mmi_from_pga(pga_g: np.ndarray) -> np.ndarray:
    """Worden et al. 2012 (ShakeMap's WGRW12): MMI from PGA, y = log10 PGA in cm/s²; MMI between 1 and 10."""
    y = np.log10(np.maximum(np.asarray(pga_g, dtype="float64") * g * 100.0, 1e-6))
    mmi = np.where(y < 1.57, 1.78 + 1.55 * y, -1.60 + 3.70 * y)
    return np.clip(mmi, 1.0, 10.0)
