"""Open311 renderers: JSON as is, and the spec's XML (a root element, one child element per item)."""
from xml.etree.ElementTree import Element, SubElement, tostring

from rest_framework.renderers import BaseRenderer, JSONRenderer

# The element name of each item of a list, by the list's own element name.
ITEM_NAMES = {
    "services": "service",
    "service_requests": "request",
    "service_request_updates": "request_update",
    "errors": "error",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
    "possible_duplicates": "request",
}


class Open311JSONRenderer(JSONRenderer):
    format = "json"
    charset = "utf-8"


class Open311XMLRenderer(BaseRenderer):
    media_type = "text/xml"
    format = "xml"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        view = (renderer_context or {}).get("view")
        response = (renderer_context or {}).get("response")
        if response is not None and response.status_code >= 400:
            root_name = "errors"
        else:
            root_name = getattr(view, "xml_root", "response")
        return _document(root_name, data)


def errors_xml(errors: list[dict]) -> bytes:
    return _document("errors", errors)


def _document(root_name: str, data) -> bytes:
    root = Element(root_name)
    _fill(root, root_name, data)
    return b'<?xml version="1.0" encoding="utf-8"?>' + tostring(root, encoding="unicode").encode("utf-8")


def _fill(element: Element, name: str, value) -> None:
    if isinstance(value, dict):
        for key, child in value.items():
            _fill(SubElement(element, key), key, child)
    elif isinstance(value, (list, tuple)):
        item_name = ITEM_NAMES.get(name, "item")
        for child in value:
            _fill(SubElement(element, item_name), item_name, child)
    elif value is None:
        return
    elif isinstance(value, bool):
        element.text = "true" if value else "false"
    else:
        element.text = str(value)
