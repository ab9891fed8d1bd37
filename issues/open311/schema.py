"""JSON Schemas of the Open311 answers, for the OpenAPI document (the XML carries the same fields)."""

from issues.models import DESCRIPTION_MAX_LENGTH

_TEXT = {"type": "string"}
_NULLABLE_TEXT = {"type": "string", "nullable": True}


def _object(required: list[str], /, **properties) -> dict:
    return {"type": "object", "required": required, "properties": properties}


def _list(item: dict) -> dict:
    return {"type": "array", "items": item}


ERRORS = _list(_object(
    ["code", "description", "error_code"],
    code={"type": "integer", "description": "the HTTP status, as the GeoReport v2 specification has it"},
    description={"type": "string", "description": "what is wrong and what to send, in the language asked for "
                                                  "(lang, else Accept-Language, else English)"},
    error_code={"type": "string", "description": "a stable machine code (invalid, required, out_of_area, "
                                                 "unknown_service, idempotency_conflict, throttled, ...)"},
    parameter={"type": "string", "description": "the request parameter at fault, when one is"},
    message={"type": "string", "description": "with parameter: the description without the parameter's name"},
))

DISCOVERY = _object(["changeset", "contact", "endpoints"], changeset=_TEXT, contact=_TEXT, key_service=_TEXT,
                    endpoints=_list(_object(["specification", "url"], specification=_TEXT, url=_TEXT, changeset=_TEXT,
                                            type=_TEXT, formats=_list(_TEXT))),
                    extensions={"type": "object"})

SERVICES = _list(_object(["service_code", "service_name", "metadata", "type"], service_code=_TEXT, service_name=_TEXT,
                         description=_TEXT, metadata={"type": "boolean"}, type=_TEXT, keywords=_TEXT, group=_TEXT))

SERVICE_DEFINITION = _object(["service_code", "attributes"], service_code=_TEXT, attributes=_list(_object(
    ["code", "datatype", "required", "description"], variable={"type": "boolean"}, code=_TEXT, datatype=_TEXT,
    required={"type": "boolean"}, datatype_description=_TEXT, order={"type": "integer"}, description=_TEXT,
    values=_list(_object(["key", "name"], key=_TEXT, name=_TEXT)))))

TOKENS = _list(_object(["service_request_id", "token"], service_request_id=_TEXT, token=_TEXT))

SERVICE_REQUESTS = _list(_object(
    ["service_request_id", "status", "service_code", "requested_datetime", "lat", "long"],
    service_request_id=_TEXT, status={"type": "string", "enum": ["open", "closed"]}, status_notes=_TEXT, service_name=_TEXT,
    service_code=_TEXT, description=_TEXT, agency_responsible=_TEXT, service_notice=_TEXT, requested_datetime=_TEXT,
    updated_datetime=_NULLABLE_TEXT, expected_datetime=_NULLABLE_TEXT, address=_TEXT, address_id=_TEXT, zipcode=_TEXT,
    lat={"type": "number"}, long={"type": "number"}, media_url=_TEXT, extended_attributes={"type": "object"}))

CREATED = _list(_object(["service_request_id", "token"], service_request_id=_TEXT, token=_TEXT, service_notice=_TEXT,
                        account_id=_NULLABLE_TEXT, possible_duplicates=_list({"type": "object"})))

UPDATES = _list(_object(["update_id", "service_request_id", "status", "updated_datetime"], update_id=_TEXT,
                        service_request_id=_TEXT, status=_TEXT, updated_datetime=_TEXT, description=_TEXT, media_url=_TEXT,
                        kind=_TEXT, author=_TEXT))

_CREATE_FIELDS = dict(
    service_code=_TEXT, lat={"type": "number", "minimum": -90, "maximum": 90},
    long={"type": "number", "minimum": -180, "maximum": 180}, address_string=_TEXT, address_id=_TEXT,
    description={"type": "string", "maxLength": DESCRIPTION_MAX_LENGTH}, email=_TEXT, first_name=_TEXT, last_name=_TEXT, phone=_TEXT,
    device_id=_TEXT, account_id=_TEXT, zipcode=_TEXT, media_url=_TEXT, api_key=_TEXT,
)
CREATE_FORM = _object(["service_code"], **_CREATE_FIELDS)
CREATE_MULTIPART = _object(["service_code"], **_CREATE_FIELDS, media={"type": "string", "format": "binary"})
CREATE_JSON = _object(["service_code"], **_CREATE_FIELDS, attribute={"type": "object"})
