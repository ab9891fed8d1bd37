"""The figures of a district's printable hazard and exposure report: the district's level per hazard kind, each
layer's share of the district per level, residents and features of every registered collection per level."""
from dataclasses import dataclass

from layers import registry
from layers.models import District

from .exposure import CLASSES, exposure, residents_by_level
from .models import LEVELS, HazardLayer
from .selectors import RANK, area_statistics, district_levels


@dataclass
class LayerExposure:
    layer: HazardLayer
    level: str | None  # the district's level by the layer alone (ThinkHazard! rule)
    level_shares: dict[str, float]
    coverage: float
    statistics: dict
    residents: dict[str, int]  # per level, area-weighted
    counts: dict[str, dict[str, int]]  # collection id → class → count
    features: dict[str, list[dict]]  # collection id → GeoJSON features with their level and value


@dataclass
class DistrictReport:
    district: District
    rule: str
    kinds: list[dict]  # {"kind", "level"}
    layers: list[LayerExposure]
    collections: list  # the registered collections (id, titles)

    def worst_layer(self) -> LayerExposure:
        """The layer that puts the district at its highest level (the first such one)."""
        return max(self.layers, key=lambda row: RANK.index(row.level))


def district_report(*, district: District) -> DistrictReport:
    """Everything the report shows, for one district."""
    layers = [layer for layer in HazardLayer.objects.all() if layer.is_hazard]
    levels = next(entry for entry in district_levels(districts=[district]))
    layer_levels = {item["layer"]: item["level"] for kind in levels["kinds"] for item in kind["layers"]}
    sources = registry.exposure_collections()
    ids = [source.id for source in sources]
    report = DistrictReport(district=district, rule=levels["rule"], layers=[], collections=sources,
                            kinds=[{"kind": kind["kind"], "level": kind["level"]} for kind in levels["kinds"]])
    for stats in area_statistics(district.geom, layers=layers):
        layer = stats.layer
        exposed = exposure(layer=layer, collection_ids=ids, with_features=True, with_population=False)
        residents = residents_by_level(district, stats)
        counts, features = {}, {}
        for entry in exposed["collections"]:
            mine = next((d for d in entry["districts"] if d["district"] == district.code), None)
            counts[entry["collection"]] = mine["counts"] if mine else dict.fromkeys(CLASSES, 0)
            features[entry["collection"]] = mine["features"] if mine else []
        report.layers.append(LayerExposure(
            layer=layer, level=layer_levels.get(layer.slug), level_shares=stats.level_shares, coverage=stats.coverage,
            statistics=stats.statistics, residents=residents, counts=counts, features=features,
        ))
    return report
