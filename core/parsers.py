"""Request bodies: every JSON body this API takes is an object, and no text may hold a NUL character
(PostgreSQL cannot store it); anything else is refused as unreadable (400)."""
from rest_framework.exceptions import ParseError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser

NUL_MESSAGE = "a field holds a NUL character; remove it"


def _has_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


class JSONObjectParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        if not isinstance(data, dict):
            raise ParseError(f"the JSON body must be an object {{...}}, got {type(data).__name__}")
        if _has_nul(data):
            raise ParseError(NUL_MESSAGE)
        return data


class CheckedFormParser(FormParser):
    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        if _has_nul(dict(data.lists())):
            raise ParseError(NUL_MESSAGE)
        return data


class CheckedMultiPartParser(MultiPartParser):
    def parse(self, stream, media_type=None, parser_context=None):
        result = super().parse(stream, media_type, parser_context)
        if _has_nul(dict(result.data.lists())):
            raise ParseError(NUL_MESSAGE)
        return result


PARSERS = [JSONObjectParser, CheckedFormParser, CheckedMultiPartParser]
