"""Scenario presets: published source parameters of past earthquakes, run like any other scenario."""
from django.utils.translation import gettext_lazy as _

PRESETS = {
    "thessaloniki-1978": {
        "name_en": "1978 Thessaloniki earthquake", "name_el": "Σεισμός Θεσσαλονίκης 1978",
        "label": _("1978 Thessaloniki earthquake"),
        # 20 June 1978, 20:03 UTC; Ms 6.5 (Papazachos; Mw 6.2 in some catalogues), used here as the moment magnitude;
        # epicentre about 40.6 N, 23.3 E in the Mygdonia basin between lakes Koroneia and Volvi, depth about 16 km;
        # normal faulting on an east-west fault dipping north (strike 270°, the fault dips to its right, north), dip 45°.
        "inputs": {"magnitude": 6.5, "lon": 23.3, "lat": 40.6, "depth_km": 16.0, "mechanism": "normal", "strike": 270.0,
                   "dip": 45.0, "rupture": "finite", "model": "akkar-bommer-2010", "n_sigma": 0.0},
        "source": "Ms 6.5, epicentre 40.6 N 23.3 E, depth 16 km, normal faulting on an E-W fault dipping north "
                  "(Papazachos et al.; Psycharis, NSF report PB-290 120)",
        # The observed tagging of inspected buildings after the earthquake, to set beside the replay.
        "observed": {"red": 0.045, "yellow": 0.21, "green": 0.745, "dead": "45 to 49", "pga_city_g": 0.25},
    },
}
