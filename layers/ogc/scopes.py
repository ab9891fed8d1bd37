"""Cache scopes of the OGC API's responses: made from the code alone, about every layer, or about one layer."""
from .. import registry
from ..http_caching import CacheScope

STATIC_MAX_AGE = 3600  # responses made from the code alone: landing page, conformance, API definition, queryables


def static_scope(by_language: bool = False):
    """The cache scope of a response made from the code alone."""
    return lambda request, *args, **kwargs: CacheScope(sources=(), max_age=STATIC_MAX_AGE, by_language=by_language)


def all_layers_scope(by_language: bool = False):
    """The cache scope of a response about every layer (the collections list, the catalogue)."""
    def scope(request, *args, **kwargs) -> CacheScope:
        return CacheScope(sources=registry.all_sources(), by_language=by_language,
                          max_age=min(c.max_age for c in registry.all_collections()))
    return scope


def layer_scope(by_language: bool = False):
    """The cache scope of a response about one layer; None for an unknown one (the view answers 404)."""
    def scope(request, collection_id, *args, **kwargs) -> CacheScope | None:
        collection = registry.get(collection_id)
        if collection is None:
            return None
        return CacheScope(sources=collection.sources, max_age=collection.max_age, by_language=by_language)
    return scope
