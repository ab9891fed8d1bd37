"""Change stamps of layers: what the database's statement triggers recorded about their source tables
(layers/migrations/0008_layer_change_stamps.py), read in the caller's snapshot."""
import hashlib
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from django.apps import apps
from django.conf import settings

from core.replica import reading_alias
from core.sql_files import fetch_all


@dataclass(frozen=True)
class Stamp:
    """The state of some source tables: equal stamps mean equal data (in one database, for one code)."""

    database: int
    tables: tuple[tuple[str, int, int], ...]  # (table, sum of changes, highest change id)
    changed_at: datetime | None

    @property
    def key(self) -> str:
        text = repr((self.database, self.tables, code_fingerprint()))
        return hashlib.sha256(text.encode()).hexdigest()[:24]


# The stamps read in the current REPEATABLE READ snapshot (see `kept_in_snapshot`): they cannot change in it.
_snapshot_stamps: ContextVar[dict | None] = ContextVar("snapshot_stamps", default=None)


@contextmanager
def kept_in_snapshot():
    """Inside, each set of sources is stamped once: for a caller whose transaction sees one snapshot throughout, so
    the response's ETag and the count kept per data version read the same stamp with one query."""
    token = _snapshot_stamps.set({})
    try:
        yield
    finally:
        _snapshot_stamps.reset(token)


def stamp(sources: tuple[str, ...] | list[str]) -> Stamp:
    names = tuple(sorted(set(sources)))
    kept = _snapshot_stamps.get()
    if kept is not None and names in kept:
        return kept[names]
    rows = fetch_all("layers", "change_stamps", {"sources": list(names)}, using=reading_alias())
    times = [row["changed_at"] for row in rows if row["changed_at"] is not None]
    found = Stamp(database=rows[0]["database"] if rows else 0,
                  tables=tuple((row["source"], row["changes"], row["last_id"]) for row in rows),
                  changed_at=max(times) if times else None)
    if kept is not None:
        kept[names] = found
    return found


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """A digest of the code that writes layer responses (the apps' Python and SQL), so a release that
    changes how a layer is written never answers 304 for what an older release wrote."""
    digest = hashlib.sha256()
    for root in _project_app_folders():
        for path in sorted([*root.rglob("*.py"), *root.rglob("*.sql")]):
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@lru_cache(maxsize=1)
def code_changed_at() -> datetime:
    """When the code behind the fingerprint last changed: the Last-Modified of responses made from code alone."""
    from datetime import UTC

    latest = max(path.stat().st_mtime for root in _project_app_folders() for path in root.rglob("*.py"))
    return datetime.fromtimestamp(int(latest), tz=UTC)


def _project_app_folders() -> list[Path]:
    """The folders of the project's own apps (those that register layers), not the installed packages."""
    base = Path(settings.BASE_DIR).resolve()
    folders = [Path(config.path).resolve() for config in apps.get_app_configs()]
    return sorted(f for f in folders if f.is_relative_to(base) and "site-packages" not in f.parts)
