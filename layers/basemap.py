"""The city's own basemap from a local MBTiles file (BASEMAP_MBTILES): raster tiles served by this server, so the
maps need no tile server and no internet. MBTiles 1.3: a SQLite file whose `tiles` table holds each tile by zoom
level, column and TMS row (counted from the south, so row = 2**z - 1 - y of the XYZ scheme the maps ask for).

Responses carry an ETag made from the file's modification time and size, and Cache-Control max-age; a
conditional request for an unchanged file gets 304. A tile the file does not have is 404 (the maps then show
their offline basemap when no tile loads at all)."""
import sqlite3
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.http import Http404, HttpResponse
from django.views.decorators.http import condition, require_GET

MAX_ZOOM = 24
MEDIA_TYPES = {"png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "webp": "image/webp"}
SIGNATURES = [(b"\x89PNG\r\n\x1a\n", "image/png"), (b"\xff\xd8\xff", "image/jpeg"), (b"RIFF", "image/webp")]


class BasemapUnavailable(Exception):
    """The configured MBTiles file is missing or is not an MBTiles file."""


def _file() -> Path:
    if not settings.BASEMAP_MBTILES:
        raise Http404("no local basemap is configured (BASEMAP_MBTILES)")
    return Path(settings.BASEMAP_MBTILES)


def _stat(path: Path):
    try:
        return path.stat()
    except OSError as exc:
        raise BasemapUnavailable(f"{path}: {exc.strerror}") from exc


def _etag(request, z, x, y) -> str | None:
    try:
        stat = _stat(_file())
    except BasemapUnavailable:
        return None  # the view answers 503
    return f"{stat.st_mtime_ns:x}-{stat.st_size:x}-{z}-{x}-{y}"


def _last_modified(request, z, x, y):
    try:
        return datetime.fromtimestamp(_stat(_file()).st_mtime, tz=timezone.utc)
    except BasemapUnavailable:
        return None


@lru_cache(maxsize=8)
def _format(path: str, mtime_ns: int) -> str | None:
    """The file's declared tile format (metadata `format`), read once per version of the file."""
    with _connect(Path(path)) as db:
        row = db.execute("SELECT value FROM metadata WHERE name = 'format'").fetchone()
    return row[0].strip().lower() if row and row[0] else None


def _connect(path: Path) -> sqlite3.Connection:
    try:
        return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise BasemapUnavailable(f"{path}: {exc}") from exc


def read_tile(z: int, x: int, y: int) -> tuple[bytes, str] | None:
    """The tile at z/x/y (XYZ, as the maps ask) and its media type, or None when the file does not have it."""
    if not (0 <= z <= MAX_ZOOM and 0 <= x < 2 ** z and 0 <= y < 2 ** z):
        return None
    path = _file()
    stat = _stat(path)
    try:
        declared = _format(str(path), stat.st_mtime_ns)
        with _connect(path) as db:
            row = db.execute("SELECT tile_data FROM tiles WHERE zoom_level = ? AND tile_column = ? AND tile_row = ?",
                             (z, x, 2 ** z - 1 - y)).fetchone()
    except sqlite3.Error as exc:
        raise BasemapUnavailable(f"{path}: not an MBTiles file ({exc})") from exc
    if row is None or not row[0]:
        return None
    data = bytes(row[0])
    media_type = next((t for magic, t in SIGNATURES if data.startswith(magic)), MEDIA_TYPES.get(declared or ""))
    return data, media_type or "application/octet-stream"


@require_GET
@condition(etag_func=_etag, last_modified_func=_last_modified)
def tile(request, z: int, x: int, y: int):
    try:
        found = read_tile(z, x, y)
    except BasemapUnavailable as exc:
        return HttpResponse(f"The local basemap cannot be read: {exc}. Check BASEMAP_MBTILES.\n", status=503,
                            content_type="text/plain; charset=utf-8")
    if found is None:
        raise Http404(f"the basemap has no tile {z}/{x}/{y}")
    data, media_type = found
    response = HttpResponse(data, content_type=media_type)
    response["Cache-Control"] = f"public, max-age={settings.BASEMAP_MBTILES_MAX_AGE}"
    return response
