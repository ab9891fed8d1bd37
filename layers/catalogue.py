"""Reading heritage sites, public services and service points from CSV or any vector file GDAL reads."""
import csv
from pathlib import Path

from django.contrib.gis.geos import Point

from .boundary_files import BoundaryFileError
from core.params import ParameterError, parse_coordinate


def read_rows(path: str | Path, *, needs_point: bool) -> list[dict]:
    """Rows as dicts; each gets 'point' (WGS84) from the geometry, or from lon/lat columns in a CSV."""
    path = Path(path)
    if not path.exists():
        raise BoundaryFileError(f"{path}: no such file")
    if path.suffix.lower() == ".csv":
        with path.open(encoding="utf-8", newline="") as handle:
            rows = [dict(row) for row in csv.DictReader(handle)]
        for number, row in enumerate(rows, start=2):
            if needs_point:
                try:
                    row["point"] = Point(parse_coordinate(row.get("lon"), parameter="lon", low=-180, high=180),
                                         parse_coordinate(row.get("lat"), parameter="lat", low=-90, high=90), srid=4326)
                except ParameterError as exc:
                    raise BoundaryFileError(f"{path}, line {number}: {exc}") from None
    else:
        import geopandas as gpd
        from pyogrio.errors import DataSourceError

        try:
            frame = gpd.read_file(path)
        except (DataSourceError, ValueError):
            raise BoundaryFileError(f"{path}: GDAL cannot read this file (GeoJSON, GeoPackage, Shapefile or CSV)") from None
        if needs_point and frame.crs is None:
            raise BoundaryFileError(f"{path}: the file declares no coordinate reference system")
        if needs_point:
            frame = frame.to_crs(4326)
        rows = []
        for number, record in enumerate(frame.to_dict("records"), start=1):
            geometry = record.pop(frame.geometry.name, None)
            if needs_point:
                if geometry is None or geometry.geom_type != "Point":
                    raise BoundaryFileError(f"{path}, feature {number}: needs a point, got {getattr(geometry, 'geom_type', 'nothing')}")
                record["point"] = Point(geometry.x, geometry.y, srid=4326)
            rows.append({k: ("" if v is None else v) for k, v in record.items()})
    if not rows:
        raise BoundaryFileError(f"{path}: no rows; nothing to import")
    return rows


def require(rows: list[dict], path, columns: list[str], key: str) -> None:
    """Every row has the columns, non-empty, and the key is unique."""
    missing = [c for c in columns if c not in rows[0]]
    if missing:
        raise BoundaryFileError(f"{path}: missing fields {', '.join(missing)}; the file has {', '.join(k for k in rows[0] if k != 'point')}")
    seen = set()
    for number, row in enumerate(rows, start=1):
        for column in columns:
            if str(row[column]).strip() == "":
                raise BoundaryFileError(f"{path}, row {number}: '{column}' is empty")
        if row[key] in seen:
            raise BoundaryFileError(f"{path}, row {number}: {key} '{row[key]}' appears twice")
        seen.add(row[key])


def flag(value) -> bool:
    return str(value).strip().lower() in ("1", "true", "yes", "y")
