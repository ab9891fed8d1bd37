"""The registry of map layers (collections): each names its table or view, columns, titles, licence and the
source tables whose changes change it. Apps register theirs when ready; OGC API, tiles, downloads, the
catalogue and hazard exposure all read from here, and table and column names in SQL only come from here."""
from dataclasses import dataclass

TYPES = {"string", "integer", "number", "boolean", "datetime"}
LANGUAGES = ("en", "el")


@dataclass(frozen=True)
class Collection:
    id: str
    title_en: str
    title_el: str
    description_en: str
    description_el: str
    table: str  # a table or view holding public fields only
    id_column: str
    properties: dict[str, str]  # public column → type (string, integer, number, boolean, datetime)
    sources: tuple[str, ...]  # the tables whose changes change this layer (their change stamps make its ETag)
    geometry_column: str = "geom"
    geometry_type: str = "Geometry"
    datetime_column: str | None = None
    keywords_en: tuple[str, ...] = ()
    keywords_el: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()  # EU data themes (REGI, GOVE, EDUC, ENVI ...)
    provenance: str = ""
    licence: str | None = None  # a licence URL; None: the portal's open-data licence (OPEN_DATA_LICENCE)
    attribution: str = ""  # a notice the data's licence asks for (e.g. CC BY), shown wherever it is published
    max_age: int = 3600  # seconds a browser or CDN may reuse a response before asking again
    exposure_default: bool = True  # counted by hazard exposure when no collection is named

    def __post_init__(self):
        unknown = {t for t in self.properties.values() if t not in TYPES}
        if unknown:
            raise ValueError(f"collection {self.id}: unknown property types {unknown}")
        if not self.sources:
            raise ValueError(f"collection {self.id}: name the source tables whose changes change it")

    @property
    def integer_ids(self) -> bool:
        return self.id_column == "id" or self.properties.get(self.id_column) == "integer"

    @property
    def is_points(self) -> bool:
        return self.geometry_type == "Point"

    def title(self, language: str = "en") -> str:
        return self.title_el if language == "el" else self.title_en

    def description(self, language: str = "en") -> str:
        return self.description_el if language == "el" else self.description_en

    def keywords(self, language: str = "en") -> list[str]:
        return list(self.keywords_el if language == "el" else self.keywords_en)


@dataclass(frozen=True)
class ItemLink:
    """A link each feature of a collection carries to what an app above `layers` serves about it (a heritage
    site's IIIF collection): `layers` knows only the route's name and the keyword that takes the feature's id."""
    url_name: str
    kwarg: str
    rel: str
    media_type: str
    title: str  # in English: an item's answer is the same in every language (its cache does not vary by language)


@dataclass(frozen=True)
class Distribution:
    """One more DCAT distribution of a collection's dataset, served by an app above `layers` at a named route
    without arguments (the IIIF collections of the heritage sites)."""
    url_name: str
    title_en: str
    title_el: str
    media_type: str
    conforms_to: str


_registry: dict[str, Collection] = {}
_item_links: dict[str, list[ItemLink]] = {}
_distributions: dict[str, list[Distribution]] = {}


def register(collection: Collection) -> None:
    _registry[collection.id] = collection


def register_item_link(collection_id: str, link: ItemLink) -> None:
    if link not in _item_links.setdefault(collection_id, []):
        _item_links[collection_id].append(link)


def item_links(collection_id: str) -> list[ItemLink]:
    return list(_item_links.get(collection_id, ()))


def register_distribution(collection_id: str, distribution: Distribution) -> None:
    if distribution not in _distributions.setdefault(collection_id, []):
        _distributions[collection_id].append(distribution)


def distributions(collection_id: str) -> list[Distribution]:
    return list(_distributions.get(collection_id, ()))


def get(collection_id: str) -> Collection | None:
    return _registry.get(collection_id)


def all_collections() -> list[Collection]:
    return [_registry[key] for key in sorted(_registry)]


def point_collections() -> list[Collection]:
    return [c for c in all_collections() if c.is_points]


def exposure_collections() -> list[Collection]:
    """The point layers hazard exposure counts when none is named."""
    return [c for c in point_collections() if c.exposure_default]


def all_sources() -> tuple[str, ...]:
    return tuple(sorted({source for c in _registry.values() for source in c.sources}))
