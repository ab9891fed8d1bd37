"""Heritage at risk (reads): each monument's level in a hazard's layers and its district's level, or its shaking and
probability of at least moderate damage in a stored earthquake scenario; ranked, the monuments most at risk first."""
from dataclasses import dataclass

import numpy as np
from django.conf import settings
from django.utils.translation import gettext as _, gettext_lazy

from core.errors import NotFound
from core.params import ParameterError, parse_int
from core.sql_files import fetch_all
from hazards import rasters
from hazards.models import LEVELS, EarthquakeScenario, HazardKind, HazardLayer
from hazards.scenarios import fragility
from hazards.scenarios.gmpe import mmi_from_pga
from hazards.selectors import district_levels

# worst last: a level in the ranking (no data ranks below "not affected")
RANK = ["no_data", "none", *LEVELS]

HAZARD_METHOD = gettext_lazy(
    "Each monument's level is the worst level of the hazard's layers at the monument: for zones, the highest zone its "
    "footprint (or, without one, its point) touches; for rasters, the value at its point. Outside a layer's coverage "
    "it has no data. Its district's level follows the hazard maps' district rule. Monuments are ranked by their own "
    "level, then their district's level, then the value of the worst layer.")
SCENARIO_METHOD = gettext_lazy(
    "Shaking is the scenario's peak ground acceleration (PGA) at each monument's point, with the intensity (MMI) "
    "derived from it as the scenario does. The probability of at least moderate damage comes from the scenario's "
    "generic fragility curve of the monument's building class: a monument is taken as unreinforced masonry built "
    "before 1960 unless its record gives another class. The curves are generic (HAZUS), not calibrated to "
    "monuments: the figures rank monuments against each other, they do not forecast damage.")


def default_building_class() -> str:
    """The class of a monument whose record gives none: the heritage layer's class in the scenarios' settings."""
    return settings.HAZARD_SCENARIO_COLLECTION_CLASSES.get("heritage-sites", "urm-pre1960")


def placed_monuments() -> list[dict]:
    """Every monument with its site's point, district and building class (heritage/sql/monuments_placed.sql)."""
    return fetch_all("heritage", "monuments_placed", {})


def hazard_kinds() -> list[str]:
    """The hazard kinds with at least one layer loaded (scenarios and site data are not hazards of their own)."""
    loaded = set(HazardLayer.objects.values_list("kind", flat=True))
    return [kind for kind, _label in HazardKind.choices if kind in loaded]


def hazard_from_param(raw: str) -> str:
    kinds = hazard_kinds()
    if raw not in kinds:
        raise ParameterError("hazard", _("no hazard '%(value)s' with a layer loaded; one of %(choices)s")
                             % {"value": raw[:40], "choices": ", ".join(kinds) or "-"})
    return raw


def scenario_from_param(raw: str) -> EarthquakeScenario:
    pk = parse_int(raw, parameter="scenario", low=1, high=2**31 - 1)
    scenario = EarthquakeScenario.objects.select_related("pga_layer").filter(pk=pk).first()
    if scenario is None:
        raise NotFound(_("no earthquake scenario %(id)s; see /api/hazards/scenarios") % {"id": pk}, parameter="scenario")
    if scenario.status != EarthquakeScenario.Status.DONE or scenario.pga_layer is None:
        raise ParameterError("scenario", _("scenario %(id)s is not computed (%(status)s): choose a finished scenario")
                             % {"id": pk, "status": scenario.status}, code="not_ready")
    return scenario


def _monument_entry(row: dict) -> dict:
    return {"monument": row["monument_id"], "site": row["slug"], "name_el": row["name_el"], "name_en": row["name_en"],
            "kind": row["kind"], "unesco_component": row["unesco_component"], "district": row["district"],
            "lon": round(row["lon"], 6), "lat": round(row["lat"], 6)}


def _ranked(entries: list[dict], key) -> list[dict]:
    entries.sort(key=key)
    for position, entry in enumerate(entries, start=1):
        entry["rank"] = position
    return entries


def monuments_at_risk_for_hazard(kind: str) -> dict:
    """Each monument's worst level over the kind's layers (with the layer and value behind it) and its district's
    level, ranked: own level, then district level, then value, the worst first."""
    layers = list(HazardLayer.objects.filter(kind=kind))
    monuments = placed_monuments()
    covered = {(row["monument_id"], row["layer_id"]): row for row in
               fetch_all("heritage", "monuments_in_zones", {"layer_ids": [layer.pk for layer in layers]})}
    lons, lats = [m["lon"] for m in monuments], [m["lat"] for m in monuments]
    sampled = {layer.pk: rasters.sample_many(layer, lons, lats)
               for layer in layers if layer.source == HazardLayer.Source.RASTER}
    by_district = {row["district"]: (row["kinds"][0]["level"] if row["kinds"] else None)
                   for row in district_levels(kind=kind)}
    entries = []
    for index, monument in enumerate(monuments):
        worst = None
        per_layer = []
        for layer in layers:
            zone = covered[(monument["monument_id"], layer.pk)]
            value = sampled[layer.pk][index] if layer.pk in sampled else zone["value"]
            if not zone["covered"] or (value is None and layer.pk in sampled):
                level, value = "no_data", None
            else:
                level = layer.level_of(value) or "none"
            per_layer.append({"layer": layer.slug, "level": level, "value": None if value is None else round(value, 4),
                              "units": layer.units})
            if worst is None or (RANK.index(level), value or 0) > (RANK.index(worst["level"]), worst["value"] or 0):
                worst = per_layer[-1]
        district_level = by_district.get(monument["district"]) or "no_data"
        entries.append({**_monument_entry(monument), "level": worst["level"] if worst else "no_data",
                        "value": worst["value"] if worst else None, "units": worst["units"] if worst else None,
                        "worst_layer": worst["layer"] if worst else None, "district_level": district_level,
                        "layers": per_layer})
    ranked = _ranked(entries, key=lambda e: (-RANK.index(e["level"]), -RANK.index(e["district_level"]),
                                             -(e["value"] or 0), e["name_en"]))
    return {"hazard": kind, "hazard_name": str(HazardKind(kind).label), "method": str(HAZARD_METHOD),
            "layers": [{"layer": layer.slug, "title_el": layer.title_el, "title_en": layer.title_en,
                        "units": layer.units, "return_period_years": layer.return_period_years} for layer in layers],
            "monuments": ranked}


@dataclass(frozen=True)
class Shaking:
    pga_g: float | None
    mmi: float | None
    p_at_least_moderate: float | None


def shaking_and_damage(pga_g: float | None, building_class: str) -> Shaking:
    """The intensity and the probability of at least moderate damage at a PGA, by the class's fragility curve."""
    if pga_g is None:
        return Shaking(None, None, None)
    curve = fragility.CLASSES[building_class]
    probability = float(fragility.exceedance(curve, np.array([pga_g]))[fragility.STATES.index("moderate"), 0])
    return Shaking(round(pga_g, 4), round(float(mmi_from_pga(pga_g)), 2), round(probability, 4))


def monuments_at_risk_in_scenario(scenario: EarthquakeScenario) -> dict:
    """Each monument's PGA and MMI in the scenario and its probability of at least moderate damage, ranked by that
    probability, then by PGA (monuments outside the scenario's grid last)."""
    monuments = placed_monuments()
    layer = scenario.pga_layer
    values = rasters.sample_many(layer, [m["lon"] for m in monuments], [m["lat"] for m in monuments])
    default = default_building_class()
    entries = []
    for monument, pga in zip(monuments, values):
        class_id = monument["building_class"] if monument["building_class"] in fragility.CLASSES else default
        shaking = shaking_and_damage(pga, class_id)
        entries.append({**_monument_entry(monument), "pga_g": shaking.pga_g, "mmi": shaking.mmi,
                        "level": "no_data" if pga is None else (layer.level_of(pga) or "none"),
                        "building_class": class_id, "building_class_assumed": monument["building_class"] is None,
                        "p_at_least_moderate": shaking.p_at_least_moderate})
    ranked = _ranked(entries, key=lambda e: (-(e["p_at_least_moderate"] if e["p_at_least_moderate"] is not None else -1),
                                             -(e["pga_g"] or 0), e["name_en"]))
    return {"scenario": scenario.pk, "name": scenario.name, "inputs": scenario.inputs,
            "label": (scenario.results or {}).get("label", ""), "method": str(SCENARIO_METHOD),
            "default_building_class": default,
            "building_classes": {key: {"title_el": c.title_el, "title_en": c.title_en, "source": c.source}
                                 for key, c in fragility.CLASSES.items()},
            "monuments": ranked}


def done_scenarios() -> list[EarthquakeScenario]:
    return list(EarthquakeScenario.objects.filter(status=EarthquakeScenario.Status.DONE, pga_layer__isnull=False)
                .order_by("-created_at", "-id"))
