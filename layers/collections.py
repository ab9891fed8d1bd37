"""The registry of point collections other apps can query by name (heritage sites, public issues ...).

An app registers its collections when it is ready; a table or queryset always comes from here, never
from a request.
"""
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import QuerySet


@dataclass(frozen=True)
class PointCollection:
    id: str
    title_el: str
    title_en: str
    queryset: Callable[[], QuerySet]
    geometry_field: str
    properties: Callable[[object], dict]


_registry: dict[str, PointCollection] = {}


def register(collection: PointCollection) -> None:
    _registry[collection.id] = collection


def collection(collection_id: str) -> PointCollection | None:
    return _registry.get(collection_id)


def collections() -> list[PointCollection]:
    return [_registry[key] for key in sorted(_registry)]
