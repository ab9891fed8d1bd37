"""Damage from PGA: lognormal fragility curves per building class (PGA-based, as USGS ShakeCast uses HAZUS).

P(damage state >= ds | PGA) = Φ(ln(PGA / median_ds) / β). Generic curves, not calibrated to Thessaloniki:
the damage figures are relative and uncalibrated (docs/SCENARIOS.md).
"""
import math
from dataclasses import dataclass

import numpy as np

STATES = ["slight", "moderate", "extensive", "complete"]


@dataclass(frozen=True)
class Fragility:
    id: str
    title_en: str
    title_el: str
    medians_g: tuple[float, float, float, float]  # slight, moderate, extensive, complete
    beta: float
    source: str


CLASSES = {
    "urm-pre1960": Fragility(
        "urm-pre1960", "Unreinforced masonry, before 1960", "Άοπλη τοιχοποιία, πριν το 1960",
        (0.13, 0.17, 0.26, 0.37), 0.64, "HAZUS PGA-based curve, pre-code low-rise unreinforced masonry (URML)"),
    "rc-infill-1960-1985": Fragility(
        "rc-infill-1960-1985", "Concrete frames with masonry infill, 1960-1985", "Πλαίσια οπλισμένου σκυροδέματος με τοιχοπληρώσεις, 1960-1985",
        (0.09, 0.14, 0.25, 0.41), 0.64, "HAZUS PGA-based curve, pre-code mid-rise concrete frame with masonry infill (C3MP)"),
    "rc-modern-post1985": Fragility(
        "rc-modern-post1985", "Concrete frames to the modern codes, after 1985", "Πλαίσια οπλισμένου σκυροδέματος σύγχρονων κανονισμών, μετά το 1985",
        (0.12, 0.15, 0.27, 0.45), 0.64, "HAZUS PGA-based curve, low-code low-rise concrete moment frame (C1LL): a stand-in "
                                        "that overstates damage to post-1985 frames (no moderate-code curve is used)"),
}


def normal_cdf(x: np.ndarray) -> np.ndarray:
    """Φ(x) through erf, in numpy (Abramowitz & Stegun 7.1.26, absolute error below 1.5e-7)."""
    z = np.asarray(x, dtype="float64") / math.sqrt(2.0)
    sign = np.sign(z)
    a = np.abs(z)
    t = 1.0 / (1.0 + 0.3275911 * a)
    poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
    erf = sign * (1.0 - poly * np.exp(-a * a))
    return 0.5 * (1.0 + erf)


def exceedance(fragility: Fragility, pga_g: np.ndarray) -> np.ndarray:
    """P(ds >= each state) for each PGA: shape (4, n)."""
    ln_pga = np.log(np.maximum(np.asarray(pga_g, dtype="float64"), 1e-9))
    return np.stack([normal_cdf((ln_pga - math.log(m)) / fragility.beta) for m in fragility.medians_g])


def state_shares(fragility: Fragility, pga_g: np.ndarray) -> dict[str, float]:
    """The expected share of buildings in each damage state (and none), over cells of equal weight."""
    if np.size(pga_g) == 0:
        return {}
    mean = exceedance(fragility, pga_g).mean(axis=1)
    shares = {"none": 1.0 - mean[0]}
    for i, state in enumerate(STATES):
        shares[state] = mean[i] - (mean[i + 1] if i + 1 < len(STATES) else 0.0)
    return {k: float(v) for k, v in shares.items()}
