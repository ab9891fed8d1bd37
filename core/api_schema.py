"""The OpenAPI document at /api/schema/: every REST view, the Open311 calls and the OGC API, with the errors
each operation can answer, so that a client (and the schema fuzzer in the tests) can rely on it."""
from typing import Callable

from drf_spectacular.generators import EndpointEnumerator, SchemaGenerator
from drf_spectacular.openapi import AutoSchema
from rest_framework import permissions
from rest_framework.schemas.generators import is_api_view

# The REST API's error body (core/api_errors.py): {"detail": "what to fix", "code": a stable machine code,
# "parameter" and "message" when one field is at fault}; some errors add fields (the allowed actions, the version).
DETAIL_ERROR = {
    "type": "object",
    "properties": {"detail": {"type": "string"}, "code": {"type": "string"}, "parameter": {"type": "string"},
                   "message": {"type": "string"}},
    "required": ["detail", "code"],
}
ERROR_DESCRIPTIONS = {
    "400": "a parameter or the body is wrong; the message names it",
    "401": "not signed in: send Authorization: Token <key> or a session cookie",
    "403": "signed in, but not allowed to do this",
    "404": "no such object, or a referenced one does not exist",
    "415": "the body's Content-Type is none the operation reads (JSON, or a form where it says so)",
    "429": "too many writes from this account or address; retry after the seconds in Retry-After",
}


# Documents of APIs that are not DRF views (the OGC API): prefix -> a function returning an OpenAPI document
_EXTRA_DOCUMENTS: dict[str, Callable[[], dict]] = {}


def register_openapi_document(prefix: str, document: Callable[[], dict]) -> None:
    """Merge the paths and components of `document()` into /api/schema/, each path under `prefix`."""
    _EXTRA_DOCUMENTS[prefix] = document


class PortalEndpointEnumerator(EndpointEnumerator):
    """DRF leaves out routes ending in .{format}; the Open311 calls are such routes and belong in the document."""

    def should_include_endpoint(self, path, callback):
        if path.endswith(".{format}") and is_api_view(callback):
            return callback.cls.schema is not None
        return super().should_include_endpoint(path, callback)


class PortalSchemaGenerator(SchemaGenerator):
    """The REST and Open311 views from the URL configuration, then the registered documents (the OGC API's paths)."""

    endpoint_inspector_cls = PortalEndpointEnumerator

    def get_schema(self, request=None, public=False):
        result = super().get_schema(request=request, public=public)
        for prefix, document in _EXTRA_DOCUMENTS.items():
            extra = document()
            result["paths"].update({prefix + path: item for path, item in extra["paths"].items()})
            for kind, entries in extra.get("components", {}).items():
                result.setdefault("components", {}).setdefault(kind, {}).update(entries)
        return result


class PortalAutoSchema(AutoSchema):
    """Adds the error answers of each operation: 400 and 404 everywhere, 401 and 403 where sign-in is needed.

    A view whose errors have another shape sets `error_schema` (and `error_media_types`); any status a view
    declares itself with @extend_schema is left as it declares it. A view with `writes_limited` adds 429 to its
    writes (POST, PUT, PATCH, DELETE; not those named in `unlimited_methods`), and 415 to those with a body.
    """

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        codes = ["400", "404"]
        if self._needs_sign_in():
            codes += ["401", "403"]
        if getattr(self.view, "writes_limited", False) and self.method not in ("GET", "HEAD", "OPTIONS") \
                and self.method not in getattr(self.view, "unlimited_methods", ()):
            codes.append("429")
        if getattr(self.view, "writes_limited", False) and self.method in ("POST", "PUT", "PATCH"):
            codes.append("415")  # a body read by the parsers: another Content-Type is refused
        schema = getattr(self.view, "error_schema", DETAIL_ERROR)
        media_types = getattr(self.view, "error_media_types", None) or self.map_renderers("media_type")
        for code in codes:
            if code not in responses:
                responses[code] = {
                    "description": ERROR_DESCRIPTIONS[code],
                    "content": {media_type: {"schema": schema} for media_type in media_types},
                }
        return responses

    def _needs_sign_in(self) -> bool:
        return any(not isinstance(p, permissions.AllowAny) for p in self.view.get_permissions())
