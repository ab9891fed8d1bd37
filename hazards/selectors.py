"""Reads: what hazards apply at a point, in an area, and at which level in each district."""
import json
from dataclasses import dataclass, field

import numpy as np
from django.contrib.gis.geos import GEOSGeometry, Point
from django.db import connection

from layers.models import District
from core.sql_files import fetch_all

from . import rasters
from .models import LEVELS, HazardLayer, HazardZone

PERCENTILES = (10, 25, 50, 75, 90)


def layer_info(layer: HazardLayer) -> dict:
    return {
        "layer": layer.slug, "kind": layer.kind, "title_el": layer.title_el, "title_en": layer.title_en,
        "source": layer.source, "units": layer.units, "return_period_years": layer.return_period_years,
    }


OUTSIDE_COVERAGE = "outside the layer's coverage (the area its study covers)"


def hazard_profile(point: Point, *, layers=None) -> list[dict]:
    """Every layer (or the given ones) at a point: level, value and units; level none inside the layer's coverage
    and outside every zone (not affected); no data, with the reason, outside the coverage or on a raster's nodata."""
    layers = list(HazardLayer.objects.all()) if layers is None else layers
    zones = {}
    for row in fetch_all("hazards", "zones_at_point", {"lon": point.x, "lat": point.y}):
        zones.setdefault(row["layer_id"], row)  # the highest value of the layer
    covered = {row["layer_id"]: row["covered"] for row in fetch_all("hazards", "coverage_at_point", {"lon": point.x, "lat": point.y})}
    profile = []
    for layer in layers:
        entry = layer_info(layer)
        if not covered.get(layer.pk, True):
            value, reason = None, OUTSIDE_COVERAGE
        elif layer.source == HazardLayer.Source.VECTOR:
            zone = zones.get(layer.pk)
            value, reason = (zone["value"], None) if zone else (None, None)
        else:
            sampled = rasters.sample(layer, point.x, point.y)
            value, reason = sampled.value, sampled.reason
        status = "no data" if reason else "ok"
        level = None if reason or not layer.is_hazard else (layer.level_of(value) or "none")
        entry.update({"value": None if value is None else round(value, 4), "level": level, "status": status})
        if reason:
            entry["reason"] = reason
        elif value is None:
            entry["note"] = "inside the layer's coverage and outside every zone: not affected"
        profile.append(entry)
    return profile


@dataclass
class AreaLayerStats:
    layer: HazardLayer
    level_shares: dict[str, float]  # share of the area (vector) or of the valid pixels (raster) per level
    coverage: float  # share of the area that has data
    statistics: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {**layer_info(self.layer), "coverage": round(self.coverage, 4), "level_shares": self.level_shares,
                **({"statistics": self.statistics} if self.statistics else {})}


def area_statistics(area: GEOSGeometry, *, layers=None) -> list[AreaLayerStats]:
    """Per layer, the share of the area in each level and, for rasters, min, mean, max and percentiles."""
    layers = list(layers if layers is not None else HazardLayer.objects.all())
    square_metres = area_m2(area)
    shares: dict[int, dict[str, float]] = {}
    vector_ids = [layer.pk for layer in layers if layer.source == HazardLayer.Source.VECTOR]
    rows = fetch_all("hazards", "zone_shares", {"area": bytes(area.ewkb), "layer_ids": vector_ids}) if vector_ids else []
    for row in rows:
        if row["level"] != "none":  # a zone below very_low counts as none with the rest of the coverage
            shares.setdefault(row["layer_id"], {})[row["level"]] = row["square_metres"] / square_metres
    covered = {}
    if vector_ids:
        for row in fetch_all("hazards", "coverage_shares", {"area": bytes(area.ewkb), "layer_ids": vector_ids}):
            covered[row["layer_id"]] = 1.0 if row["square_metres"] is None else min(row["square_metres"] / square_metres, 1.0)
    results = []
    geometry = json.loads(area.json)
    for layer in layers:
        if layer.source == HazardLayer.Source.VECTOR:
            # shares of the area: each level's zones, and none for the rest of the coverage (not affected)
            by_level = {k: round(min(v, 1.0), 4) for k, v in shares.get(layer.pk, {}).items()}
            coverage = max(covered.get(layer.pk, 1.0), min(sum(by_level.values()), 1.0))
            rest = round(coverage - sum(by_level.values()), 4)
            if rest > 0:
                by_level = {"none": rest, **by_level}
            results.append(AreaLayerStats(layer=layer, level_shares=by_level, coverage=coverage))
            continue
        pixels = rasters.pixels_in(layer, geometry)
        values = pixels.values
        statistics = {}
        if values.size:
            statistics = {"min": float(values.min()), "mean": float(values.mean()), "max": float(values.max()),
                          **{f"p{p}": float(v) for p, v in zip(PERCENTILES, np.percentile(values, PERCENTILES))},
                          "pixels": int(values.size)}
            statistics = {k: (round(v, 4) if isinstance(v, float) else v) for k, v in statistics.items()}
        coverage = values.size / pixels.pixels_inside if pixels.pixels_inside else 0.0
        shares_by_level = rasters.level_shares(layer, values) if layer.is_hazard else {}
        results.append(AreaLayerStats(layer=layer, level_shares=shares_by_level, coverage=coverage,
                                      statistics=statistics))
    return results


def area_m2(area: GEOSGeometry) -> float:
    with connection.cursor() as cursor:
        cursor.execute("SELECT ST_Area(ST_GeomFromEWKB(%s)::geography)", [bytes(area.ewkb)])
        return cursor.fetchone()[0]


RULE = (
    "ThinkHazard!-style: a level applies to a district when the layer's value reaches that level's threshold over "
    "at least the layer's minimum share of the district's area; the worst level over the kind's layers wins. "
    "A district the layer covers where no level applies is none (not affected); one outside the layer's coverage "
    "has no level (no data)."
)
RANK = [None, "none", *LEVELS]


def district_levels(*, kind: str | None = None, districts=None) -> list[dict]:
    """For each district (or the given ones) and hazard kind, the level by the documented rule, with the numbers
    behind it."""
    layers = [layer for layer in (HazardLayer.objects.filter(kind=kind) if kind else HazardLayer.objects.all()) if layer.is_hazard]
    answer = []
    for district in District.objects.order_by("code") if districts is None else districts:
        by_kind: dict[str, dict] = {}
        for stats in area_statistics(district.geom, layers=layers):
            layer = stats.layer
            at_least = {level: round(sum(share for name, share in stats.level_shares.items()
                                         if name in LEVELS[i:]), 4) * (stats.coverage if layer.source == "raster" else 1)
                        for i, level in enumerate(LEVELS)}
            level = next((lv for lv in reversed(LEVELS) if at_least[lv] >= layer.district_min_share), None)
            if level is None and stats.coverage > 0:
                level = "none"
            entry = by_kind.setdefault(layer.kind, {"kind": layer.kind, "level": None, "layers": []})
            entry["layers"].append({"layer": layer.slug, "level": level, "min_share": layer.district_min_share,
                                    "coverage": round(stats.coverage, 4),
                                    "share_at_or_above": {k: round(v, 4) for k, v in at_least.items()},
                                    "thresholds": layer.thresholds, "units": layer.units})
            if RANK.index(level) > RANK.index(entry["level"]):
                entry["level"] = level
        answer.append({"district": district.code, "name_el": district.name_el, "name_en": district.name_en,
                       "rule": RULE, "kinds": list(by_kind.values())})
    return answer


@dataclass(frozen=True)
class HighHazard:
    layer: HazardLayer
    value: float
    level: str


def high_hazards_at(point: Point, *, kinds: list[str]) -> list[HighHazard]:
    """The layers of the given kinds that put this point at the high level."""
    if not kinds:
        return []
    layers = {layer.slug: layer for layer in HazardLayer.objects.filter(kind__in=kinds)}
    found = []
    for entry in hazard_profile(point, layers=list(layers.values())):
        if entry["level"] == "high":
            found.append(HighHazard(layer=layers[entry["layer"]], value=entry["value"], level=entry["level"]))
    return found


def worst_zones_touching(area: GEOSGeometry) -> list[HazardZone]:
    """The vector zones a place touches, the worst level of each layer (a flood zone, a coastal zone ...), with the
    layer read alongside; zones of level none are left out."""
    zones = (HazardZone.objects.filter(geom__intersects=area).exclude(level="none")
             .select_related("layer").order_by("layer__kind", "layer__slug"))
    worst: dict[int, HazardZone] = {}
    for zone in zones:
        kept = worst.get(zone.layer_id)
        if kept is None or LEVELS.index(zone.level) > LEVELS.index(kept.level):
            worst[zone.layer_id] = zone
    return list(worst.values())
