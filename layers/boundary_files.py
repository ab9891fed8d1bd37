"""Reading municipal or district boundaries from any vector file GDAL opens, checked and in WGS84."""
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.gis.gdal import CoordTransform, DataSource, GDALException, SpatialReference
from django.contrib.gis.geos import GEOSGeometry, MultiPolygon, Polygon

WGS84 = 4326
MAX_PROBLEMS_SHOWN = 10


class BoundaryFileError(ValueError):
    """The file cannot be imported as it is; the message says what to fix."""


@dataclass
class BoundaryFeature:
    number: int  # 1-based position of the feature in the layer
    code: str
    name_el: str
    name_en: str | None
    geom: MultiPolygon  # SRID 4326
    repaired: bool = False


@dataclass
class BoundaryFile:
    path: Path
    layer_name: str
    source_crs: str
    features: list[BoundaryFeature] = field(default_factory=list)

    @property
    def repaired(self) -> int:
        return sum(1 for f in self.features if f.repaired)


def read_boundary_file(
    path: str | Path,
    *,
    code_field: str,
    name_field: str,
    name_en_field: str | None = None,
    layer: str | int | None = None,
    source_srid: int | None = None,
    fix: bool = False,
) -> BoundaryFile:
    """Read every feature of a layer; raise BoundaryFileError, listing the problems, if any feature is unfit."""
    path = Path(path)
    if not path.exists():
        raise BoundaryFileError(f"{path}: no such file")
    try:
        source = DataSource(str(path))
    except GDALException:
        raise BoundaryFileError(f"{path}: GDAL cannot read this file as vector data (GeoJSON, Shapefile, GeoPackage ...)") from None
    gdal_layer = _pick_layer(source, layer, path)
    if gdal_layer.num_feat == 0:
        raise BoundaryFileError(f"{path}: layer '{gdal_layer.name}' has no features; nothing to import")

    fields = list(gdal_layer.fields)
    for option, name in (("--code-field", code_field), ("--name-field", name_field), ("--name-en-field", name_en_field)):
        if name is not None and name not in fields:
            raise BoundaryFileError(
                f"{option} '{name}' is not a field of layer '{gdal_layer.name}'; its fields are: {', '.join(fields) or '(none)'}"
            )

    source_srs = _source_srs(gdal_layer, source_srid, path)
    to_wgs84 = CoordTransform(source_srs, SpatialReference(WGS84))
    result = BoundaryFile(path=path, layer_name=gdal_layer.name, source_crs=_describe(source_srs))

    problems: list[str] = []
    seen_codes: dict[str, int] = {}
    for number, feature in enumerate(gdal_layer, start=1):
        code = _text(feature.get(code_field))
        label = f"feature {number}" + (f" (code {code})" if code else "")
        if not code:
            problems.append(f"{label}: the code field '{code_field}' is empty")
            continue
        if code in seen_codes:
            problems.append(f"{label}: code {code} already used by feature {seen_codes[code]}")
            continue
        seen_codes[code] = number
        name_el = _text(feature.get(name_field))
        if not name_el:
            problems.append(f"{label}: the name field '{name_field}' is empty")
            continue
        name_en = _text(feature.get(name_en_field)) if name_en_field else None
        try:
            geom, repaired, problem = _boundary_geometry(feature, to_wgs84, fix)
        except GDALException as exc:
            problems.append(f"{label}: the geometry cannot be read or reprojected ({exc})")
            continue
        if problem:
            problems.append(f"{label}: {problem}")
            continue
        result.features.append(BoundaryFeature(number, code, name_el, name_en, geom, repaired))

    if problems:
        shown = problems[:MAX_PROBLEMS_SHOWN]
        more = len(problems) - len(shown)
        raise BoundaryFileError(
            f"{path}: {len(problems)} feature(s) cannot be imported, nothing was written:\n  "
            + "\n  ".join(shown)
            + (f"\n  ... and {more} more" if more else "")
        )
    return result


def _pick_layer(source: DataSource, layer: str | int | None, path: Path):
    if source.layer_count == 0:
        raise BoundaryFileError(f"{path}: the file has no layers; nothing to import")
    if layer is None:
        if source.layer_count > 1:
            names = ", ".join(source[i].name for i in range(source.layer_count))
            raise BoundaryFileError(f"{path}: the file has {source.layer_count} layers ({names}); choose one with --layer")
        return source[0]
    try:
        return source[int(layer) if str(layer).isdigit() else layer]
    except (IndexError, GDALException):
        names = ", ".join(source[i].name for i in range(source.layer_count))
        raise BoundaryFileError(f"{path}: no layer '{layer}'; the layers are: {names}") from None


def _source_srs(gdal_layer, source_srid: int | None, path: Path) -> SpatialReference:
    if source_srid is not None:
        try:
            return SpatialReference(source_srid)
        except (GDALException, Exception):
            raise BoundaryFileError(f"--source-srid {source_srid} is not a known EPSG code") from None
    srs = gdal_layer.srs
    if srs is None:
        raise BoundaryFileError(
            f"{path}: the file declares no coordinate reference system; "
            "give it one with --source-srid (2100 for the Greek Grid, 4326 for WGS84 longitude/latitude)"
        )
    return srs


def _describe(srs: SpatialReference) -> str:
    srid = srs.srid
    if srid is None:
        try:
            srs.identify_epsg()
            srid = srs.srid
        except GDALException:
            srid = None
    return f"EPSG:{srid} ({srs.name})" if srid else srs.name


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _boundary_geometry(feature, to_wgs84: CoordTransform, fix: bool) -> tuple[MultiPolygon | None, bool, str | None]:
    """The feature's geometry as a valid WGS84 MultiPolygon, or the reason it cannot be one."""
    ogr = feature.geom
    if ogr is None:
        return None, False, "has no geometry"
    ogr = ogr.clone()
    if ogr.is_3d:
        ogr.set_3d(False)
    if ogr.geom_type.name not in ("Polygon", "MultiPolygon"):
        return None, False, f"is a {ogr.geom_type.name}; boundaries must be polygons or multipolygons"
    geos = ogr.geos
    if geos.empty:
        return None, False, "has an empty geometry"
    repaired = False
    if not geos.valid:
        reason = geos.valid_reason
        if not fix:
            return None, False, f"invalid geometry: {reason}; rerun with --fix to repair it"
        geos = _polygons_only(geos.make_valid())
        if geos is None:
            return None, False, f"invalid geometry ({reason}) that --fix cannot turn into a polygon"
        repaired = True
    ogr = geos.ogr
    ogr.transform(to_wgs84)
    geom = _as_multipolygon(ogr.geos)
    geom.srid = WGS84
    if not geom.valid:
        if not fix:
            return None, False, f"invalid after reprojection to WGS84: {geom.valid_reason}; rerun with --fix to repair it"
        geom = _polygons_only(geom.make_valid())
        if geom is None:
            return None, False, "invalid after reprojection and --fix cannot repair it"
        geom.srid = WGS84
        repaired = True
    return geom, repaired, None


def _as_multipolygon(geom: GEOSGeometry) -> MultiPolygon:
    if isinstance(geom, MultiPolygon):
        return geom
    if isinstance(geom, Polygon):
        return MultiPolygon(geom, srid=geom.srid)
    raise ValueError(f"expected a polygon, got {geom.geom_type}")


def _polygons_only(geom: GEOSGeometry) -> MultiPolygon | None:
    """Keep the polygonal parts of what make_valid returned (it may add lines or points)."""
    if isinstance(geom, Polygon):
        parts = [geom]
    elif isinstance(geom, MultiPolygon):
        parts = list(geom)
    else:
        parts = []
        for part in getattr(geom, "__iter__", lambda: iter(()))():
            if isinstance(part, Polygon):
                parts.append(part)
            elif isinstance(part, MultiPolygon):
                parts.extend(part)
    parts = [p for p in parts if not p.empty and p.area > 0]
    if not parts:
        return None
    return MultiPolygon(*parts, srid=geom.srid)
