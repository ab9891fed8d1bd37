"""Open-data downloads of a registered collection, public fields only: GeoJSON streamed from SQL, and
GeoPackage, CSV and zipped Shapefile written once per data version into LAYER_DOWNLOAD_DIR (pyogrio,
in chunks, so a million features never sit in memory at once)."""
import csv
import fcntl
import os
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from psycopg import sql

from .change_stamps import Stamp, stamp
from .features import feature_sql
from .http_caching import snapshot
from .ogc.crs import CRS84, SUPPORTED
from .registry import Collection
from core.replica import read_connection

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
        try:
            yield '{"type": "FeatureCollection", "features": [\n'
            first = True
            for (text,) in self._cursor:
                yield text if first else ",\n" + text
                first = False
            yield "\n]}\n"
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


# --- files written once per data version --------------------------------------------------------


def cached_file(collection: Collection, download: Format) -> tuple[Path, Stamp]:
    """The download's file for the data as it is now, written if this version has none yet (one writer at
    a time per version; others wait and reuse it). Older versions' files are removed."""
    with snapshot():
        data = stamp(collection.sources)
        folder = Path(settings.LAYER_DOWNLOAD_DIR) / collection.id / download.name / data.key
        target = folder / file_name(collection, download)
        if target.exists():
            return target, data
        folder.mkdir(parents=True, exist_ok=True)
        with open(folder / ".lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if not target.exists():
                partial = folder / f".{uuid.uuid4().hex}-{target.name}"
                try:
                    WRITERS[download.name](collection, partial)
                    os.replace(partial, target)
                finally:
                    partial.unlink(missing_ok=True)
    _remove_older_versions(target)
    return target, data


def _remove_older_versions(current: Path) -> None:
    """Remove the finished files of other versions (a file being served stays readable until closed)."""
    for folder in current.parent.parent.iterdir():
        if folder == current.parent or not folder.is_dir():
            continue
        (folder / current.name).unlink(missing_ok=True)
        (folder / ".lock").unlink(missing_ok=True)
        try:
            folder.rmdir()
        except OSError:
            pass  # another process is writing there


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
    with tempfile.TemporaryDirectory(dir=path.parent) as work:
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
