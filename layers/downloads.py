"""Open-data downloads of a registered collection, public fields only: GeoJSON streamed from SQL, and
GeoPackage, CSV and zipped Shapefile written once per data version into LAYER_DOWNLOAD_DIR by a background
job (pyogrio, in chunks, so a million features never sit in memory at once)."""
import csv
import fcntl
import json
import os
import shutil
import time
import uuid
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from psycopg import sql

from .change_stamps import Stamp, stamp
from .features import feature_sql
from .http_caching import snapshot
from .ogc.crs import CRS84, SUPPORTED
from .registry import Collection
from core.replica import read_connection

PIECE_CHARACTERS = 256 * 1024  # a streamed GeoJSON download is written in pieces of about this size
CHUNK_ROWS = 50_000  # each append to a GeoPackage costs a fixed overhead: few chunks, yet bounded memory


@dataclass(frozen=True)
class Format:
    name: str  # as in the URL
    extension: str
    media_type: str
    title: str
    file_type: str  # in the EU file-type vocabulary (DCAT-AP dct:format)


FORMATS = {
    "geojson": Format("geojson", "geojson", "application/geo+json", "GeoJSON", "GEOJSON"),
    "gpkg": Format("gpkg", "gpkg", "application/geopackage+sqlite3", "GeoPackage", "GPKG"),
    "csv": Format("csv", "csv", "text/csv; charset=utf-8", "CSV (UTF-8, WKT geometry)", "CSV"),
    "shp": Format("shp", "shp.zip", "application/zip", "Shapefile (zipped)", "SHP"),
}


def file_name(collection: Collection, download: Format) -> str:
    return f"{settings.OPEN_DATA_FILE_PREFIX}-{collection.id}.{download.extension}"


def columns(collection: Collection) -> list[str]:
    """The fields of a download: the identifier (unless it is a property already), then the public properties."""
    return ([] if collection.id_column in collection.properties else [collection.id_column]) + list(collection.properties)


# --- GeoJSON, streamed -------------------------------------------------------------------------


class FeatureStream:
    """A collection as one GeoJSON FeatureCollection (RFC 7946, CRS84) built by PostGIS and streamed from a
    server-side cursor. The change stamp and the rows come from one REPEATABLE READ transaction, begun here
    and ended when the response is closed, so the ETag made from `stamp` labels exactly these rows."""

    def __init__(self, collection: Collection):
        connection = read_connection()
        connection.ensure_connection()
        self._own_transaction = not connection.in_atomic_block
        self._raw = connection.connection
        self._cursor = None
        self._closed = False
        if self._own_transaction:
            self._raw.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        try:
            self.stamp = stamp(collection.sources)
            statement = sql.SQL("SELECT {feature} FROM {table} ORDER BY {id}").format(
                feature=feature_sql(collection, SUPPORTED[CRS84]), table=sql.Identifier(collection.table),
                id=sql.Identifier(collection.id_column))
            self._cursor = self._raw.cursor(name=f"layer_download_{uuid.uuid4().hex}", withhold=False)
            self._cursor.itersize = 2000
            self._cursor.execute(statement)
        except Exception:
            self.close()
            raise

    def __iter__(self):
        """Pieces of about PIECE_CHARACTERS, not one per feature: each piece costs the server a write of its own."""
        try:
            yield '{"type": "FeatureCollection", "features": [\n'
            piece, size, first = [], 0, True
            for (text,) in self._cursor:
                piece.append(text if first else ",\n" + text)
                size += len(text)
                first = False
                if size >= PIECE_CHARACTERS:
                    yield "".join(piece)
                    piece, size = [], 0
            yield "".join(piece) + "\n]}\n"
        finally:
            self.close()

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        try:
            if self._cursor is not None:
                self._cursor.close()
        finally:
            if self._own_transaction:
                self._raw.execute("ROLLBACK")  # read only: nothing to keep


# --- files written once per data version, by a background job ------------------------------------
#
# LAYER_DOWNLOAD_DIR/<collection>/<format>/<version key>/<file>, with version.json (the change stamp the
# file was written from) beside it. The file appears by a rename once complete, so a file that exists is
# finished; writers (the job, the command) take the folder's .lock, and a writer removes the partial files
# an interrupted writer left. A request never writes: it serves the current file, or the newest finished
# one while a job writes the current one (layers/tasks.py), or says when to come back.

VERSION_FILE = "version.json"
PARTIAL_PREFIX = ".partial-"


@dataclass(frozen=True)
class Finished:
    """A finished download file, open for reading, and the change stamp of the data it holds."""

    handle: object  # an open binary file: it stays readable even if a newer version's writer removes it
    stamp: Stamp
    current: bool
    write_seconds: float = 0.0  # how long writing it took (0 for a file written before this was recorded)

    @property
    def written_at(self) -> datetime:
        from datetime import UTC

        return datetime.fromtimestamp(os.fstat(self.handle.fileno()).st_mtime, tz=UTC)


def accel_redirect_uri(found: Finished, prefix: str) -> str:
    """The URI nginx's internal location (aliased to LAYER_DOWNLOAD_DIR) serves a finished file under:
    the prefix and the file's path inside the downloads folder, made from the file that was opened, never
    from the request. A file outside the folder (a symbolic link out of it) is refused."""
    root = os.path.realpath(settings.LAYER_DOWNLOAD_DIR)
    path = os.path.realpath(found.handle.name)
    if os.path.commonpath([root, path]) != root or path == root:
        raise ValueError(f"{path} is not inside LAYER_DOWNLOAD_DIR")
    return prefix.rstrip("/") + "/" + quote(Path(os.path.relpath(path, root)).as_posix())


def _format_folder(collection: Collection, download: Format) -> Path:
    return Path(settings.LAYER_DOWNLOAD_DIR) / collection.id / download.name


def _version_json(data: Stamp, write_seconds: float) -> str:
    return json.dumps({"database": data.database, "tables": [list(t) for t in data.tables],
                       "changed_at": data.changed_at.isoformat() if data.changed_at else None,
                       "write_seconds": round(write_seconds, 3)})


def _version_from_json(text: str) -> tuple[Stamp, float]:
    """A version.json's change stamp and how long its file took to write (0 for a file written before that was kept)."""
    found = json.loads(text)
    data = Stamp(database=found["database"], tables=tuple(tuple(t) for t in found["tables"]),
                 changed_at=datetime.fromisoformat(found["changed_at"]) if found["changed_at"] else None)
    return data, float(found.get("write_seconds", 0.0))


def _open_version(folder: Path, name: str, *, current: bool) -> Finished | None:
    try:
        data, seconds = _version_from_json((folder / VERSION_FILE).read_text("utf-8"))
        return Finished(handle=(folder / name).open("rb"), stamp=data, current=current, write_seconds=seconds)
    except (FileNotFoundError, NotADirectoryError, ValueError, KeyError):
        return None  # not finished, or removed by a writer of a newer version just now


def finished_file(collection: Collection, download: Format) -> tuple[Finished | None, Stamp]:
    """The file of the data as it is now if it is written, else the newest finished file of an older
    version (None when there is none), with the current stamp."""
    with snapshot():
        data = stamp(collection.sources)
    name = file_name(collection, download)
    root = _format_folder(collection, download)
    found = _open_version(root / data.key, name, current=True)
    if found is not None:
        return found, data
    older = []
    if root.is_dir():
        for folder in root.iterdir():
            if folder.name != data.key and (folder / name).exists():
                older.append((folder.stat().st_mtime, folder))
    for _, folder in sorted(older, reverse=True):
        found = _open_version(folder, name, current=False)
        if found is not None:
            return found, data
    return None, data


def download_write(*, collection: Collection, download: Format) -> tuple[Path, Stamp, bool]:
    """Write the file of the data as it is when this runs, unless it is written already (then nothing is
    done: a burst of changes queued as one job writes once). Returns the file, its stamp and whether it
    was written now. Partial files of interrupted writers and older versions' files are removed."""
    root = _format_folder(collection, download)
    root.mkdir(parents=True, exist_ok=True)
    name = file_name(collection, download)
    with open(root / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one writer per collection and format (the job's lock says so too)
        _remove_partials(root)
        with snapshot():
            data = stamp(collection.sources)
            folder = root / data.key
            target = folder / name
            if target.exists():
                return target, data, False
            folder.mkdir(exist_ok=True)
            partial = folder / f"{PARTIAL_PREFIX}{uuid.uuid4().hex}-{name}"
            try:
                started = time.monotonic()
                WRITERS[download.name](collection, partial)
                (folder / VERSION_FILE).write_text(_version_json(data, time.monotonic() - started), "utf-8")
                os.replace(partial, target)
            finally:
                partial.unlink(missing_ok=True)
        _remove_older_versions(root, keep=folder)
    return target, data, True


def _remove_partials(root: Path) -> None:
    """Files an interrupted writer left (a killed worker): only a writer holding the lock calls this."""
    for partial in root.glob(f"*/{PARTIAL_PREFIX}*"):  # files, and the Shapefile writer's work folders
        if partial.is_dir():
            shutil.rmtree(partial, ignore_errors=True)
        else:
            partial.unlink(missing_ok=True)


def _remove_older_versions(root: Path, *, keep: Path) -> None:
    """Remove the files of versions older than the one this replaces (a file being served stays readable until it
    is closed). The version just replaced stays until the next is written: a request that named it a moment ago
    (nginx opens the file after the server's X-Accel-Redirect names it) still finds it."""
    finished = sorted(((folder / VERSION_FILE).stat().st_mtime, folder) for folder in root.iterdir()
                      if folder != keep and (folder / VERSION_FILE).is_file())
    previous = finished[-1][1] if finished else None
    for folder in root.iterdir():
        if folder in (keep, previous) or not folder.is_dir():
            continue
        for path in folder.iterdir():
            path.unlink(missing_ok=True)
        try:
            folder.rmdir()
        except OSError:
            pass


def _column_sql(collection: Collection, name: str) -> sql.Composable:
    """A column as written: times as RFC 3339 text in UTC (formatted by PostgreSQL, far faster than a
    Python object per value)."""
    if collection.properties.get(name) == "datetime":
        return sql.SQL("""to_char({} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')""").format(sql.Identifier(name))
    return sql.Identifier(name)


def _rows(collection: Collection, geometry: sql.Composable):
    """Chunks of rows (the download's columns, then the geometry expression) from a server-side cursor."""
    statement = sql.SQL("SELECT {columns}, {geometry} FROM {table} ORDER BY {id}").format(
        columns=sql.SQL(", ").join(_column_sql(collection, name) for name in columns(collection)), geometry=geometry,
        table=sql.Identifier(collection.table), id=sql.Identifier(collection.id_column))
    with read_connection().chunked_cursor() as cursor:
        cursor.execute(statement)
        while rows := cursor.fetchmany(CHUNK_ROWS):
            yield rows


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def write_csv(collection: Collection, path: Path) -> None:
    """UTF-8 with a byte-order mark (so spreadsheets read the Greek), the geometry as WKT in CRS84 and,
    for points, longitude and latitude columns too."""
    geometry = sql.SQL("ST_AsText({g}, 7)").format(g=sql.Identifier(collection.geometry_column))
    header = columns(collection) + (["longitude", "latitude"] if collection.is_points else []) + ["WKT"]
    if collection.is_points:
        geometry = sql.SQL("round(ST_X({g})::numeric, 7)::float8, round(ST_Y({g})::numeric, 7)::float8, {wkt}").format(
            g=sql.Identifier(collection.geometry_column), wkt=geometry)
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for rows in _rows(collection, geometry):
            writer.writerows([_text(value) for value in row] for row in rows)


def _frames(collection: Collection, *, for_shapefile: bool = False):
    """GeoDataFrames of up to CHUNK_ROWS features; at least one, maybe empty, so the layer is always made."""
    import geopandas as gpd
    import pandas as pd

    names = columns(collection)
    geometry = sql.SQL("ST_AsBinary({g})").format(g=sql.Identifier(collection.geometry_column))
    made = False
    for rows in _rows(collection, geometry):
        frame = pd.DataFrame.from_records([row[:-1] for row in rows], columns=names)
        shapes = gpd.GeoSeries.from_wkb([bytes(row[-1]) if row[-1] is not None else None for row in rows], crs="EPSG:4326")
        made = True
        yield _typed(collection, gpd.GeoDataFrame(frame, geometry=shapes), for_shapefile)
    if not made:
        yield _typed(collection, gpd.GeoDataFrame(pd.DataFrame(columns=names), geometry=gpd.GeoSeries([], crs="EPSG:4326")),
                     for_shapefile)


def _typed(collection: Collection, frame, for_shapefile: bool):
    import pandas as pd

    for name in columns(collection):
        kind = collection.properties.get(name, "integer" if collection.integer_ids else "string")
        if kind == "datetime" and not for_shapefile:  # a Shapefile keeps only dates: its copy holds the text
            frame[name] = pd.to_datetime(frame[name], utc=True, format="ISO8601")
        elif kind == "boolean":
            frame[name] = frame[name].astype("boolean")
        elif kind == "integer":
            frame[name] = frame[name].astype("Int64")
        elif kind == "number":
            frame[name] = frame[name].astype("Float64")
        else:
            frame[name] = frame[name].astype("string")
    return frame


GEOMETRY_TYPES = {"Point": "Point", "MultiPolygon": "MultiPolygon", "Geometry": "Unknown"}
# the Shapefiles a layer of mixed geometries is written as: name suffix → (geometry kinds, Shapefile type)
SHAPEFILE_FAMILIES = {
    "points": (("Point", "MultiPoint"), "MultiPoint"),
    "lines": (("LineString", "MultiLineString"), "MultiLineString"),
    "polygons": (("Polygon", "MultiPolygon"), "MultiPolygon"),
}


def write_geopackage(collection: Collection, path: Path) -> None:
    from pyogrio import write_dataframe

    for number, frame in enumerate(_frames(collection)):
        # GeoPackage 1.2: what every GDAL, QGIS and ArcGIS in use reads without a warning
        write_dataframe(frame, path, layer=collection.id.replace("-", "_"), driver="GPKG", append=number > 0,
                        geometry_type=GEOMETRY_TYPES.get(collection.geometry_type, "Unknown"),
                        dataset_options=None if number else {"VERSION": "1.2"}, layer_options=None if number else
                        {"DESCRIPTION": collection.description_en, "IDENTIFIER": collection.title_en})


def shapefile_fields(collection: Collection) -> dict[str, str]:
    """Field names of at most 10 characters (a dBASE limit), unique: the full name where it fits, else
    its first 10 characters, or its first 9 and a digit on a clash."""
    short: dict[str, str] = {}
    for name in columns(collection):
        candidate = name[:10]
        digit = 1
        while candidate in short.values():
            candidate = f"{name[:9]}{digit}"
            digit += 1
        short[name] = candidate
    return short


def write_shapefile_zip(collection: Collection, path: Path) -> None:
    """A zip of one Shapefile (.shp, .shx, .dbf, .prj, .cpg in UTF-8) and a README naming each field."""
    import tempfile
    import warnings

    from pyogrio import write_dataframe

    stem = file_name(collection, FORMATS["shp"]).removesuffix(".shp.zip")
    fields = shapefile_fields(collection)
    with tempfile.TemporaryDirectory(dir=path.parent, prefix=PARTIAL_PREFIX) as work:
        mixed = collection.geometry_type == "Geometry"
        written: set[str] = set()
        for frame in _frames(collection, for_shapefile=True):
            # a Shapefile holds one kind of geometry: a layer of mixed kinds becomes one Shapefile per kind
            parts = (((f"{stem}-{family}", frame[frame.geometry.geom_type.isin(kinds)], shape)
                      for family, (kinds, shape) in SHAPEFILE_FAMILIES.items()) if mixed
                     else [(stem, frame, GEOMETRY_TYPES.get(collection.geometry_type, "Unknown"))])
            for name, part, shape in parts:
                if mixed and part.empty:
                    continue
                with warnings.catch_warnings():  # texts cut at 254 characters: the README says so
                    warnings.filterwarnings("ignore", message=".*truncated to 254 characters")
                    write_dataframe(part.rename(columns=fields), Path(work) / f"{name}.shp", driver="ESRI Shapefile",
                                    append=name in written, encoding="UTF-8", geometry_type=shape,
                                    promote_to_multi=True if mixed else None)
                written.add(name)
        readme = "\n".join([
            f"{collection.title_en} / {collection.title_el}", "", collection.description_en, "",
            f"Licence: {collection.licence or settings.OPEN_DATA_LICENCE}", f"Provenance: {collection.provenance}",
            "Coordinates: WGS 84 (EPSG:4326). Text is UTF-8; texts longer than 254 characters are cut (a Shapefile limit).",
            "", "Fields (Shapefile name: full name):", *[f"  {short}: {name}" for name, short in fields.items()], "",
        ])
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for part in sorted(Path(work).iterdir()):
                archive.write(part, part.name)
            archive.writestr(f"{stem}.README.txt", readme)


WRITERS = {"gpkg": write_geopackage, "csv": write_csv, "shp": write_shapefile_zip}
