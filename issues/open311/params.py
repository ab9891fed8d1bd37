"""Parsing Open311 parameters into typed values; each error names the parameter and what to send."""
from datetime import datetime, timedelta

from django.contrib.gis.geos import Polygon
from django.utils import timezone

from core.params import flag as core_flag
from core.params import parse_bbox, parse_datetime, parse_int

from .errors import Open311Error

MAX_RANGE = timedelta(days=90)
MAX_PAGE_SIZE = 1000
MAX_RADIUS_M = 10_000


def parse_datetime_param(params, name: str) -> datetime | None:
    raw = params.get(name)
    if raw in (None, ""):
        return None
    text = raw.strip()
    if "T" in text and " " in text:
        text = text.replace(" ", "+", 1)  # a "+02:00" offset arrives as " 02:00" when not URL-encoded
    return parse_datetime(text, parameter=name)


def date_range(params) -> tuple[datetime, datetime]:
    start = parse_datetime_param(params, "start_date")
    end = parse_datetime_param(params, "end_date")
    if start and end and end < start:
        raise Open311Error(400, "must not be before start_date", parameter="end_date")
    if start and end and end - start > MAX_RANGE:
        raise Open311Error(400, "the range may span at most 90 days", parameter="start_date, end_date")
    if start is None and end is None:
        end = timezone.now()
        start = end - MAX_RANGE
    elif start is None:
        start = end - MAX_RANGE
    elif end is None:
        end = min(start + MAX_RANGE, timezone.now()) if start < timezone.now() else start + MAX_RANGE
    return start, end


def positive_int(params, name: str, default: int, maximum: int = 1_000_000) -> int:
    raw = params.get(name)
    if raw in (None, ""):
        return default
    return parse_int(raw, parameter=name, low=1, high=maximum)


def comma_list(params, name: str) -> list[str]:
    raw = params.get(name)
    if raw in (None, ""):
        return []
    return [item.strip() for item in raw.split(",") if item.strip()]


def bbox_param(params) -> Polygon | None:
    raw = params.get("bbox")
    if raw in (None, ""):
        return None
    return parse_bbox(raw)


def flag(params, name: str) -> bool:
    return core_flag(params, name)
