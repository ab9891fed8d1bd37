"""Readers of the previous system's reports, as ImportRecords: another GeoReport v2 (Open311) server, read by
date windows and pages, and a CSV export (id, category, lat, lon, status, created, resolved, supports,
comments) such as ImproveMyCity can produce."""
import csv
import io
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from datetime import timezone as dt_timezone
from pathlib import Path

import requests
from django.utils.dateparse import parse_date, parse_datetime

from .imports import ImportRecord

# GeoReport v2: "requests ... within the past 90 days" by default, and servers may refuse a longer range.
WINDOW = timedelta(days=90)
PAGE_SIZE = 1000
CSV_COLUMNS = ("id", "category", "lat", "lon", "status", "created")
USER_AGENT = "gis-portal-import/1 (GeoReport v2 client)"


class SourceError(RuntimeError):
    """The source cannot be read (the server does not answer as GeoReport v2, the file is not the expected CSV)."""


def parse_moment(text: str | None) -> datetime | None:
    """An ISO 8601 date-time (a date alone is midnight UTC); None when empty. A time without zone is UTC."""
    text = (text or "").strip()
    if not text:
        return None
    moment = parse_datetime(text.replace(" ", "T", 1) if len(text) > 10 else text)
    if moment is None:
        day = parse_date(text)
        if day is None:
            raise ValueError(f"not a date: {text!r}")
        moment = datetime(day.year, day.month, day.day)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt_timezone.utc)
    return moment


def _float(value) -> float | None:
    try:
        return float(str(value).strip().replace(",", ".")) if str(value).strip() else None
    except ValueError:
        return None


# --- GeoReport v2 ------------------------------------------------------------------------------------------------

class Open311Reader:
    """Every request of a GeoReport v2 server from `since` to `until`, window by window (at most 90 days each, as
    the spec's default range), page by page within a window (`page`, `page_size`, as many servers accept; a
    server that ignores them answers the same page again, which ends the window). `on_window(start, end, n)`
    reports progress."""

    def __init__(self, base_url: str, *, since: datetime, until: datetime, window: timedelta = WINDOW,
                 page_size: int = PAGE_SIZE, timeout: float = 30, session: requests.Session | None = None,
                 on_window: Callable[[datetime, datetime, int], None] | None = None):
        self.base_url = base_url.rstrip("/")
        self.since, self.until = since, until
        self.window, self.page_size, self.timeout = window, page_size, timeout
        self.session = session or requests.Session()
        self.session.headers.setdefault("User-Agent", USER_AGENT)
        self.on_window = on_window

    def windows(self) -> Iterator[tuple[datetime, datetime]]:
        start = self.since
        while start < self.until:
            end = min(start + self.window, self.until)
            yield start, end
            start = end

    def __iter__(self) -> Iterator[ImportRecord]:
        seen: set[str] = set()
        for start, end in self.windows():
            count = 0
            for item in self._window(start, end):
                their_id = str(item.get("service_request_id") or "")
                if their_id in seen:  # on the edge of two windows
                    continue
                seen.add(their_id)
                count += 1
                yield record_from_open311(item)
            if self.on_window:
                self.on_window(start, end, count)

    def _window(self, start: datetime, end: datetime) -> Iterator[dict]:
        page, first_ids = 1, None
        while True:
            rows = self._get({"start_date": _iso(start), "end_date": _iso(end), "page": page,
                              "page_size": self.page_size, "extensions": "true"})
            ids = [str(r.get("service_request_id")) for r in rows]
            if page > 1 and ids and ids == first_ids:
                return  # the server ignores paging
            first_ids = first_ids or ids
            yield from rows
            if len(rows) < self.page_size:
                return
            page += 1

    def _get(self, params: dict) -> list[dict]:
        url = f"{self.base_url}/requests.json"
        try:
            response = self.session.get(url, params=params, timeout=self.timeout)
        except requests.RequestException as exc:
            raise SourceError(f"{url}: no answer ({exc.__class__.__name__}: {exc})") from exc
        if response.status_code != 200:
            raise SourceError(f"{url}: HTTP {response.status_code}: {response.text[:300]}")
        try:
            rows = response.json()
        except ValueError as exc:
            raise SourceError(f"{url}: the answer is not JSON; is this a GeoReport v2 endpoint?") from exc
        if not isinstance(rows, list):
            raise SourceError(f"{url}: expected a list of service requests, got {type(rows).__name__}")
        return [r for r in rows if isinstance(r, dict)]


def _iso(moment: datetime) -> str:
    return moment.astimezone(dt_timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def record_from_open311(item: dict) -> ImportRecord:
    """A GeoReport v2 service request. The status is the server's own when it extends the spec
    (extended_attributes.internal_status), else open/closed; a closed request was resolved at its last update."""
    extended = item.get("extended_attributes") if isinstance(item.get("extended_attributes"), dict) else {}
    status = str(extended.get("internal_status") or item.get("status") or "")

    def moment(name):
        try:
            return parse_moment(item.get(name))
        except ValueError:
            return None

    supports = extended.get("supports")
    return ImportRecord(
        import_id=str(item.get("service_request_id") or ""),
        service_code=str(item.get("service_code") or ""),
        lat=_float(item.get("lat")), lon=_float(item.get("long")),
        status=status,
        created_at=moment("requested_datetime"), updated_at=moment("updated_datetime"),
        resolved_at=None,
        description=str(item.get("description") or ""), address=str(item.get("address") or ""),
        supports=supports if isinstance(supports, int) else 0,
    )


# --- CSV ---------------------------------------------------------------------------------------------------------

def csv_records(path: str | Path, *, comment_separator: str = "|") -> list[ImportRecord]:
    """The rows of a CSV export: id, category, lat, lon, status, created (required), resolved, supports (a count),
    comments (their texts, separated by `comment_separator`), and optionally description, address, updated.
    The whole file is read first, so a broken file stops before anything is written."""
    path = Path(path)
    try:
        text = path.read_text("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise SourceError(f"{path}: cannot read it as UTF-8 text: {exc}") from exc
    reader = csv.DictReader(io.StringIO(text))
    columns = [c.strip().lower() for c in (reader.fieldnames or [])]
    missing = [c for c in CSV_COLUMNS if c not in columns]
    if missing:
        raise SourceError(f"{path}: missing column(s) {', '.join(missing)}; needs {', '.join(CSV_COLUMNS)}")
    records = []
    for line, raw in enumerate(reader, start=2):
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items() if k}
        try:
            created, updated, resolved = (parse_moment(row.get(n)) for n in ("created", "updated", "resolved"))
        except ValueError as exc:
            raise SourceError(f"{path}, line {line}: {exc}") from exc
        supports = row.get("supports") or "0"
        if not supports.isdigit():
            raise SourceError(f"{path}, line {line}: supports must be a whole number, got {supports!r}")
        comments = [c for c in row.get("comments", "").split(comment_separator) if c.strip()]
        records.append(ImportRecord(
            import_id=row["id"], service_code=row["category"], lat=_float(row["lat"]), lon=_float(row["lon"]),
            status=row["status"], created_at=created, updated_at=updated, resolved_at=resolved,
            description=row.get("description", ""), address=row.get("address", ""),
            supports=int(supports), comments=comments,
        ))
    return records
