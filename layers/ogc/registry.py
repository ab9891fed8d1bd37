"""The feature collections served at /ogc/: each names a table or view and its columns. Apps register
theirs when ready; table and column names in SQL only ever come from here."""
from dataclasses import dataclass, field

TYPES = {"string", "integer", "number", "boolean", "datetime"}


@dataclass(frozen=True)
class FeatureCollection:
    id: str
    title: str
    description: str
    table: str
    id_column: str
    properties: dict[str, str]  # column → queryable type (string, integer, number, boolean, datetime)
    geometry_column: str = "geom"
    geometry_type: str = "Geometry"
    datetime_column: str | None = None
    keywords: list[str] = field(default_factory=list)

    @property
    def integer_ids(self) -> bool:
        return self.id_column == "id" or self.properties.get(self.id_column) == "integer"

    def __post_init__(self):
        unknown = {t for t in self.properties.values() if t not in TYPES}
        if unknown:
            raise ValueError(f"collection {self.id}: unknown property types {unknown}")


_registry: dict[str, FeatureCollection] = {}


def register(collection: FeatureCollection) -> None:
    _registry[collection.id] = collection


def get(collection_id: str) -> FeatureCollection | None:
    return _registry.get(collection_id)


def all_collections() -> list[FeatureCollection]:
    return [_registry[key] for key in sorted(_registry)]
