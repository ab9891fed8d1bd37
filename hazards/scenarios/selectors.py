"""Reads: a scenario as the API shows it, the list, and the exposure ranked by shaking."""
from datetime import timedelta

import numpy as np
from django.conf import settings
from django.utils import timezone

from layers import registry
from layers.features import points as collection_points

from .. import rasters
from ..models import EarthquakeScenario
from . import fragility
from .gmpe import MODELS, mmi_from_pga
from .presets import PRESETS

STALE_AFTER = timedelta(minutes=10)


def is_interrupted(scenario: EarthquakeScenario) -> bool:
    """A scenario still running long after it started: the process that computed it has gone."""
    return scenario.status == EarthquakeScenario.Status.RUNNING and timezone.now() - scenario.created_at > STALE_AFTER


def scenario_summary(scenario: EarthquakeScenario) -> dict:
    status = "failed" if is_interrupted(scenario) else scenario.status
    return {
        "id": scenario.pk, "name": scenario.name, "preset": scenario.preset or None, "status": status,
        "error": scenario.error or ("interrupted: the server stopped before it finished; run it again"
                                    if status != scenario.status else None),
        "inputs": scenario.inputs, "model": MODELS[scenario.inputs["model"]].name,
        "created_by": scenario.created_by.get_username() if scenario.created_by else None,
        "created_at": scenario.created_at.isoformat(), "finished_at": scenario.finished_at.isoformat() if scenario.finished_at else None,
        "layers": {"pga": scenario.pga_layer.slug if scenario.pga_layer else None,
                   "mmi": scenario.mmi_layer.slug if scenario.mmi_layer else None},
        "url": f"/api/hazards/scenarios/{scenario.pk}",
    }


def scenario_detail(scenario: EarthquakeScenario, *, exposure_limit: int = 20) -> dict:
    answer = scenario_summary(scenario)
    results = scenario.results or {}
    answer["results"] = results
    if scenario.preset in PRESETS:
        answer["observed"] = PRESETS[scenario.preset]["observed"]
        answer["comparison"] = observed_comparison(results.get("districts", []))
    if scenario.status == EarthquakeScenario.Status.DONE and scenario.pga_layer:
        answer["exposure"] = ranked_exposure(scenario, limit=exposure_limit)
    return answer


def observed_comparison(districts: list[dict]) -> dict | None:
    """The municipality's expected damage beside the 1978 tagging: red ≈ extensive or complete, yellow ≈ moderate,
    green ≈ none or slight (a rough correspondence, stated in docs/SCENARIOS.md)."""
    expected: dict[str, float] = {}
    total = 0
    for district in districts:
        if district.get("buildings"):
            total += district["buildings"]["total"]
            for state, count in district["buildings"]["expected"].items():
                expected[state] = expected.get(state, 0) + count
    if not total:
        return None
    share = {state: count / total for state, count in expected.items()}
    return {"buildings": total,
            "red_like": round(share.get("extensive", 0) + share.get("complete", 0), 4),
            "yellow_like": round(share.get("moderate", 0), 4),
            "green_like": round(share.get("none", 0) + share.get("slight", 0), 4)}


def ranked_exposure(scenario: EarthquakeScenario, *, limit: int) -> list[dict]:
    """Each exposure collection's features ranked by the scenario's PGA, with MMI and, where the building class is
    known (the feature's own building_class, or the collection's in settings), P(at least moderate damage)."""
    layer = scenario.pga_layer
    answer = []
    for source in registry.exposure_collections():
        features = collection_points(source)
        if not features:
            answer.append({"collection": source.id, "title_el": source.title_el, "title_en": source.title_en, "count": 0, "features": []})
            continue
        values = rasters.sample_many(layer, [f["lon"] for f in features], [f["lat"] for f in features])
        pga = np.array([np.nan if v is None else v for v in values])
        order = np.argsort(-np.nan_to_num(pga, nan=-1.0), kind="stable")[:limit]
        default_class = settings.HAZARD_SCENARIO_COLLECTION_CLASSES.get(source.id)
        ranked = []
        for index in order:
            feature, value = features[index], pga[index]
            class_id = feature["properties"].get("building_class") or default_class
            curve = fragility.CLASSES.get(class_id)
            ranked.append({
                "id": feature["id"], "name_el": feature["properties"].get("name_el"),
                "name_en": feature["properties"].get("name_en") or feature["properties"].get("name"),
                "lon": round(feature["lon"], 6), "lat": round(feature["lat"], 6),
                "pga_g": None if np.isnan(value) else round(float(value), 4),
                "mmi": None if np.isnan(value) else round(float(mmi_from_pga(value)), 2),
                "level": None if np.isnan(value) else (layer.level_of(float(value)) or "none"),
                "building_class": class_id if curve else None,
                "p_at_least_moderate": round(float(fragility.exceedance(curve, np.array([value]))[1, 0]), 4)
                if curve and not np.isnan(value) else None,
            })
        answer.append({"collection": source.id, "title_el": source.title_el, "title_en": source.title_en,
                       "count": len(features), "features": ranked})
    return answer


def scenario_list() -> dict:
    return {
        "presets": [{"id": key, "name_en": p["name_en"], "name_el": p["name_el"], "inputs": p["inputs"], "source": p["source"]}
                    for key, p in PRESETS.items()],
        "models": [{"id": m.id, "name": m.name, "magnitude": [m.validity.min_magnitude, m.validity.max_magnitude],
                    "max_distance_km": m.validity.max_distance_km, "vs30": [m.validity.min_vs30, m.validity.max_vs30]}
                   for m in MODELS.values()],
        "scenarios": [scenario_summary(s) for s in EarthquakeScenario.objects.select_related("created_by", "pga_layer", "mmi_layer")],
    }
