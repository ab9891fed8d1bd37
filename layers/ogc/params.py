"""The OGC API's own request parameters (lang, limit/offset, bbox, datetime, after, CRS), parsed as the standard defines them."""
import math
import re

from django.utils.translation import gettext as _
from core.params import parse_datetime

from ..http_caching import requested_language
from . import crs as crs_module
from .cql import MAX_COORDINATE
from .errors import bad

ITEM_PARAMETERS = {"limit", "offset", "after", "bbox", "bbox-crs", "crs", "datetime", "filter", "filter-lang", "filter-crs", "f"}
WHOLE_NUMBER = re.compile(r"[+-]?[0-9]+")
NUMBER = re.compile(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?|[+-]?(inf|infinity|nan)", re.IGNORECASE)


def parse_language(request) -> str:
    """The response language from `lang` (or the request's language): el or en."""
    chosen = requested_language(request)
    if chosen is None:
        raise bad(_("el or en, got %(value)r") % {"value": request.GET["lang"][:20]}, parameter="lang")
    return chosen


def parse_int(value, name, default, low, high=2**31 - 1):
    """A whole number of at least `low`, capped at `high`; `default` when absent."""
    if value in (None, ""):
        return default
    if not WHOLE_NUMBER.fullmatch(value):
        raise bad(_("must be a whole number, got %(value)r") % {"value": value[:20]}, parameter=name)
    number = int(value)
    if number < low:
        raise bad(_("must be %(low)d or more, got %(value)d") % {"low": low, "value": number}, parameter=name)
    return min(number, high)


def parse_bbox(value):
    """`bbox`: 4 or 6 finite numbers, lower corner first, as [min x, min y, max x, max y]; None when absent."""
    if not value:
        return None
    parts = value.split(",")
    if len(parts) not in (4, 6):
        raise bad(_("needs 4 or 6 numbers, got %(count)d") % {"count": len(parts)}, parameter="bbox")
    if not all(NUMBER.fullmatch(p.strip()) for p in parts):
        raise bad(_("not numbers: %(value)r") % {"value": value[:80]}, parameter="bbox")
    numbers = [float(p) for p in parts]
    if not all(math.isfinite(n) and abs(n) <= MAX_COORDINATE for n in numbers):
        raise bad(_("needs finite coordinates of at most %(limit)g in size, got %(value)r")
                  % {"limit": MAX_COORDINATE, "value": value[:80]}, parameter="bbox")
    if len(numbers) == 6:
        numbers = [numbers[0], numbers[1], numbers[3], numbers[4]]
    if numbers[0] > numbers[2] or numbers[1] > numbers[3]:
        raise bad(_("the lower corner must come first (min x, min y, max x, max y)"), parameter="bbox")
    return numbers


def _instant(text, name):
    if text in ("", ".."):
        return None
    return parse_datetime(text, parameter=name, example="2026-11-24T10:00:00Z")


def parse_datetime_range(value):
    """`datetime`: one moment or an interval start/end, either end open (`..` or empty); None when absent."""
    if not value:
        return None
    if "/" in value:
        start, end = value.split("/", 1)
        return _instant(start, "datetime"), _instant(end, "datetime")
    moment = _instant(value, "datetime")
    return moment, moment


def parse_after(value, collection):
    """The keyset of a `next` link: the id of the previous page's last feature (a whole number for most layers)."""
    if value in (None, ""):
        return None
    if collection.integer_ids:
        number = int(value) if WHOLE_NUMBER.fullmatch(value) else None
        if number is None or abs(number) >= 2**63:
            raise bad(_("the id of the previous page's last feature, a whole number; got %(value)r") % {"value": value[:20]}, parameter="after")
        return number
    if len(value) > 200:
        raise bad(_("the id of the previous page's last feature, at most 200 characters"), parameter="after")
    return value


def parse_crs(value, name):
    """A supported CRS URI (`crs`, `bbox-crs`, `filter-crs`); CRS84 when absent."""
    return crs_module.resolve(value, name)
