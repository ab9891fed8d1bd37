"""Exposure: which features of a registered collection lie in each level of a hazard layer, per district,
and how many residents live in each level (area-weighted)."""
from layers import registry
from layers.features import points as collection_points
from layers.models import District
from core.sql_files import fetch_all

from . import rasters
from .models import LEVELS, HazardLayer
from .selectors import AreaLayerStats, area_statistics, layer_info

CLASSES = ["high", "medium", "low", "very_low", "none", "no_data"]


def exposure(*, layer: HazardLayer, collection_ids: list[str], with_features: bool = True,
             with_population: bool = True) -> dict:
    """Counts (and features) per district and level for each collection, and the residents per level."""
    answer = {**layer_info(layer), "collections": [], "population": population_exposed(layer) if with_population else None}
    for collection_id in collection_ids:
        source = registry.get(collection_id)
        features = collection_points(source)
        xs, ys = [f["lon"] for f in features], [f["lat"] for f in features]
        rows = fetch_all("hazards", "points_exposure", {"xs": xs, "ys": ys, "layer_id": layer.pk}) if features else []
        if layer.source == HazardLayer.Source.RASTER:
            values = rasters.sample_many(layer, xs, ys)
        else:
            values = [row["value"] for row in rows]
        districts: dict[str, dict] = {}
        for feature, row, value in zip(features, rows, values):
            # outside the coverage, or on a raster's nodata: no data; inside it and outside every zone: none
            if not row["covered"]:
                value = None
                name = "no_data"
            elif value is None:
                name = "none" if layer.source == HazardLayer.Source.VECTOR else "no_data"
            else:
                name = layer.level_of(value) or "none"
            level = None if name == "no_data" else name
            entry = districts.setdefault(row["district"] or "outside", {
                "district": row["district"], "counts": dict.fromkeys(CLASSES, 0), "features": []})
            entry["counts"][name] += 1
            if with_features:
                entry["features"].append({
                    "type": "Feature", "id": feature["id"],
                    "geometry": {"type": "Point", "coordinates": [round(feature["lon"], 7), round(feature["lat"], 7)]},
                    "properties": {**feature["properties"], "level": level, "value": value},
                })
        totals = dict.fromkeys(CLASSES, 0)
        for entry in districts.values():
            for name, count in entry["counts"].items():
                totals[name] += count
        answer["collections"].append({
            "collection": source.id, "title_el": source.title_el, "title_en": source.title_en, "totals": totals,
            "districts": [districts[key] for key in sorted(districts)],
        })
    return answer


def population_exposed(layer: HazardLayer) -> list[dict]:
    """Residents of each district in each level: the district's population times the share of its area in
    that level (area-weighted, as if people were spread evenly)."""
    result = []
    for district in District.objects.filter(population__isnull=False).order_by("code"):
        stats = area_statistics(district.geom, layers=[layer])[0]
        result.append({"district": district.code, "population": district.population,
                       "exposed": residents_by_level(district, stats)})
    return result


def residents_by_level(district: District, stats: AreaLayerStats) -> dict[str, int]:
    """The district's residents in each level of the layer of these area statistics (none without a population)."""
    weight = stats.coverage if stats.layer.source == HazardLayer.Source.RASTER else 1.0
    return {level: round((district.population or 0) * stats.level_shares.get(level, 0.0) * weight) for level in LEVELS}
