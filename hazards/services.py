"""Writes: registering hazard layers from GeoTIFFs and from zone files, checked, all or nothing."""
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import rasterio
from django.conf import settings
from django.contrib.gis.geos import GEOSGeometry, MultiPolygon, Polygon
from django.core.exceptions import ValidationError
from django.db import transaction
from rasterio.errors import RasterioIOError
from rasterio.warp import transform_bounds

from . import rasters
from .models import LEVELS, HazardLayer, HazardZone


class HazardImportError(ValueError):
    """The file or the layer description cannot be registered; the message says what to fix."""


@dataclass
class LayerSpec:
    """What describes a layer, whatever its source."""

    slug: str
    kind: str
    title_el: str
    title_en: str
    provenance: str
    licence: str
    units: str
    thresholds: tuple[float, float, float, float]
    return_period_years: int | None = None
    district_min_share: float = 0.05
    # The area the study covers (a WGS84 MultiPolygon); None: the layer's extent.
    coverage: MultiPolygon | None = None


@dataclass
class HazardImportReport:
    slug: str
    source: str
    created: bool
    committed: bool
    details: str

    def summary(self) -> str:
        verb = ("created" if self.created else "replaced") if self.committed else ("would be created" if self.created else "would be replaced")
        tail = "" if self.committed else "; dry run, nothing written (add --commit to write)"
        return f"{self.source} layer {self.slug} {verb}: {self.details}{tail}"


def _layer_from(spec: LayerSpec, source: str) -> tuple[HazardLayer, bool]:
    layer = HazardLayer.objects.filter(slug=spec.slug).first()
    created = layer is None
    layer = layer or HazardLayer(slug=spec.slug)
    layer.kind, layer.title_el, layer.title_en = spec.kind, spec.title_el, spec.title_en
    layer.provenance, layer.licence, layer.units = spec.provenance, spec.licence, spec.units
    layer.return_period_years, layer.district_min_share, layer.source = spec.return_period_years, spec.district_min_share, source
    layer.coverage = spec.coverage
    if len(spec.thresholds) != 4:
        raise HazardImportError(f"thresholds: give four numbers for {', '.join(LEVELS)}, got {len(spec.thresholds)}")
    for level, value in zip(LEVELS, spec.thresholds):
        setattr(layer, f"threshold_{level}", float(value))
    return layer, created


def _validated(layer: HazardLayer) -> None:
    try:
        layer.full_clean(exclude=["extent"], validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        problems = "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
        raise HazardImportError(f"layer {layer.slug}: {problems}") from None


def raster_import(*, path: str | Path, spec: LayerSpec, band: int = 1, commit: bool = False) -> HazardImportReport:
    """Register a GeoTIFF (any CRS) as a raster layer; the file is copied under HAZARD_DATA_DIR/rasters/.

    Refused, with nothing registered: a file that is not a raster, a raster with no CRS, a band that
    does not exist.
    """
    path = Path(path)
    if not path.exists():
        raise HazardImportError(f"{path}: no such file")
    try:
        dataset = rasterio.open(path)
    except RasterioIOError:
        raise HazardImportError(f"{path}: not a raster GDAL can read (expected a GeoTIFF)") from None
    with dataset:
        if dataset.crs is None:
            raise HazardImportError(f"{path}: the raster has no coordinate reference system; assign one (gdal_edit.py -a_srs EPSG:2100)")
        if not 1 <= band <= dataset.count:
            raise HazardImportError(f"{path}: band {band} does not exist; the raster has {dataset.count} band(s)")
        west, south, east, north = transform_bounds(dataset.crs, "EPSG:4326", *dataset.bounds, densify_pts=21)
        nodata = dataset.nodatavals[band - 1]
        crs = dataset.crs.to_string()
        size = f"{dataset.width}×{dataset.height} px, {crs}, band {band}, nodata {nodata}"
    layer, created = _layer_from(spec, HazardLayer.Source.RASTER)
    layer.raster_path = f"rasters/{spec.slug}.tif"
    layer.band = band
    layer.nodata = None if nodata is None or np.isnan(nodata) else float(nodata)
    layer.crs = crs
    layer.extent = Polygon.from_bbox((west, south, east, north))
    layer.extent.srid = 4326
    _validated(layer)
    report = HazardImportReport(slug=spec.slug, source="raster", created=created, committed=commit, details=size)
    if not commit:
        return report
    target = Path(settings.HAZARD_DATA_DIR) / layer.raster_path
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = target.with_suffix(".tif.part")
    rasters.write_servable_copy(path, staging)  # tiled, compressed, with overviews
    try:
        with transaction.atomic():
            if layer.pk:
                layer.zones.all().delete()  # a vector layer becoming a raster one
            layer.save()
            staging.replace(target)
    finally:
        staging.unlink(missing_ok=True)
    return report


def zones_import(
    *, path: str | Path, spec: LayerSpec, value_field: str = "value", fix: bool = False, commit: bool = False
) -> HazardImportReport:
    """Register a vector file GDAL reads as a zone layer: each feature a zone with a value; its level comes
    from the layer's thresholds. The layer's zones are replaced all at once.
    """
    import geopandas as gpd
    from pyogrio.errors import DataSourceError

    path = Path(path)
    if not path.exists():
        raise HazardImportError(f"{path}: no such file")
    try:
        frame = gpd.read_file(path)
    except (DataSourceError, ValueError) as exc:
        raise HazardImportError(f"{path}: GDAL cannot read this file as vector data ({str(exc).splitlines()[0][:120]})") from None
    if frame.empty:
        raise HazardImportError(f"{path}: no features; nothing to import")
    if frame.crs is None:
        raise HazardImportError(f"{path}: the file declares no coordinate reference system")
    if value_field not in frame.columns:
        fields = ", ".join(c for c in frame.columns if c != frame.geometry.name)
        raise HazardImportError(f"{path}: --value-field '{value_field}' is not a field; the fields are: {fields or '(none)'}")
    frame = frame.to_crs(4326)
    layer, created = _layer_from(spec, HazardLayer.Source.VECTOR)
    layer.raster_path = ""
    _validated(layer)
    zones, problems, repaired = [], [], 0
    for number, row in enumerate(frame.itertuples(index=False), start=1):
        value = getattr(row, value_field)
        geometry = row.geometry
        if value is None or (isinstance(value, float) and np.isnan(value)):
            problems.append(f"feature {number}: no {value_field}")
            continue
        if geometry is None or geometry.is_empty or geometry.geom_type not in ("Polygon", "MultiPolygon"):
            problems.append(f"feature {number}: zones must be polygons, got {getattr(geometry, 'geom_type', 'nothing')}")
            continue
        geom = GEOSGeometry(memoryview(geometry.wkb), srid=4326)
        if not geom.valid:
            if not fix:
                problems.append(f"feature {number}: invalid geometry: {geom.valid_reason}; rerun with --fix to repair it")
                continue
            geom, repaired = geom.make_valid(), repaired + 1
            geom = MultiPolygon(*[g for g in (geom if geom.geom_type in ("MultiPolygon", "GeometryCollection") else [geom])
                                  if g.geom_type == "Polygon"], srid=4326)
        if geom.geom_type == "Polygon":
            geom = MultiPolygon(geom, srid=4326)
        zones.append((float(value), geom))
    if problems:
        raise HazardImportError(f"{path}: {len(problems)} feature(s) cannot be imported, nothing was written:\n  " + "\n  ".join(problems[:10]))
    report = HazardImportReport(
        slug=spec.slug, source="vector", created=created, committed=commit,
        details=f"{len(zones)} zone(s)" + (f", {repaired} repaired" if repaired else ""),
    )
    if commit:
        west, south, east, north = frame.total_bounds
        with transaction.atomic():
            layer.extent = Polygon.from_bbox((float(west), float(south), float(east), float(north)))
            layer.extent.srid = 4326
            layer.save()
            layer.zones.all().delete()
            HazardZone.objects.bulk_create(
                [HazardZone(layer=layer, value=value, level=layer.level_of(value) or "none", geom=geom) for value, geom in zones]
            )
    return report
