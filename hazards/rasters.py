"""Reading hazard rasters with rasterio: sampling a point and the pixels inside a polygon, vectorized; the
tile reader (rio-tiler) over the same open file; and the servable copy an import stores (tiled, compressed,
with overviews)."""
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import rasterio
import rasterio.shutil
from django.conf import settings
from rasterio.features import geometry_mask
from rasterio.mask import mask as rasterio_mask
from rasterio.warp import transform as transform_points
from rasterio.warp import transform_geom
from rasterio.windows import Window
from rio_tiler.errors import NoOverviewWarning
from rio_tiler.io import Reader

from layers.tile_grid import TMS

from .models import LEVELS, HazardLayer

_open: dict[str, tuple[float, rasterio.DatasetReader]] = {}


def dataset(layer: HazardLayer) -> rasterio.DatasetReader:
    """The layer's GeoTIFF, kept open per process and reopened when the file changes."""
    path = Path(settings.HAZARD_DATA_DIR) / layer.raster_path
    mtime = path.stat().st_mtime
    cached = _open.get(str(path))
    if cached is None or cached[0] != mtime:
        if cached is not None:
            cached[1].close()
        _open[str(path)] = (mtime, rasterio.open(path))
        _readers.pop(str(path), None)
    return _open[str(path)][1]


_readers: dict[str, Reader] = {}


def tile_reader(layer: HazardLayer) -> Reader:
    """rio-tiler's reader of the layer's open GeoTIFF in the WebMercatorQuad grid (layers/tile_grid.py):
    each tile reads only its window, from the overview that fits the zoom."""
    source = dataset(layer)
    reader = _readers.get(source.name)
    if reader is None or reader.dataset is not source:
        with warnings.catch_warnings():  # the demo rasters are a few hundred pixels: no overview needed
            warnings.simplefilter("ignore", NoOverviewWarning)
            reader = Reader(input=source.name, dataset=source, tms=TMS)
        _readers[source.name] = reader
    return reader


def write_servable_copy(source: Path, target: Path) -> None:
    """The raster as a Cloud Optimized GeoTIFF: 256-pixel tiles (one map tile's worth: a tile decodes little more than it
    shows), ZSTD with the floating-point predictor (as small
    as DEFLATE and faster to decode: docs/PERFORMANCE.md), and overviews down to one
    tile (nearest neighbour, so an overview holds real hazard values), for tiles that read only their window."""
    rasterio.shutil.copy(str(source), str(target), driver="COG", compress="ZSTD", predictor="YES", blocksize=256,
                         overview_resampling="nearest", num_threads="ALL_CPUS", bigtiff="IF_SAFER")


@dataclass(frozen=True)
class Sample:
    value: float | None
    reason: str | None  # why there is no value


def sample(layer: HazardLayer, lon: float, lat: float) -> Sample:
    source = dataset(layer)
    xs, ys = transform_points("EPSG:4326", source.crs, [lon], [lat])
    x, y = xs[0], ys[0]
    left, bottom, right, top = source.bounds
    if not (left <= x < right and bottom < y <= top):
        return Sample(None, "outside the layer's extent")
    row, col = source.index(x, y)
    value = source.read(layer.band, window=((row, row + 1), (col, col + 1)))[0, 0]
    if (layer.nodata is not None and value == layer.nodata) or np.isnan(value):
        return Sample(None, "no data at this point (the raster's nodata value)")
    return Sample(float(value), None)


@dataclass(frozen=True)
class AreaPixels:
    values: np.ndarray  # the valid pixel values inside the polygon
    pixels_inside: int  # every pixel whose centre is inside, valid or not


def pixels_in(layer: HazardLayer, geojson_geometry: dict) -> AreaPixels:
    """The pixels whose centres fall inside a WGS84 polygon, read and masked in one pass (no Python loop)."""
    source = dataset(layer)
    shape = transform_geom("EPSG:4326", source.crs, geojson_geometry)
    try:
        data, window_transform = rasterio_mask(source, [shape], crop=True, filled=False, indexes=layer.band)
    except ValueError:  # the polygon does not overlap the raster
        return AreaPixels(values=np.array([], dtype="float32"), pixels_inside=0)
    inside = ~geometry_mask([shape], out_shape=data.shape, transform=window_transform)
    values = np.ma.getdata(data)[inside]
    valid = ~np.isnan(values)
    if layer.nodata is not None:
        valid &= values != layer.nodata
    return AreaPixels(values=values[valid], pixels_inside=int(inside.sum()))


def level_shares(layer: HazardLayer, values: np.ndarray) -> dict[str, float]:
    """Share of the valid pixels in each level (and in none, below very_low)."""
    if values.size == 0:
        return {}
    thresholds = [layer.thresholds[level] for level in LEVELS]
    index = np.searchsorted(thresholds, values, side="right")  # 0 = none, 1 = very_low ... 4 = high
    counts = np.bincount(index, minlength=len(LEVELS) + 1)
    return {name: round(float(counts[i]) / values.size, 4) for i, name in enumerate(["none", *LEVELS]) if counts[i]}


def sample_many(layer: HazardLayer, lons: list[float], lats: list[float]) -> list[float | None]:
    """Values at many points (None outside the raster or on nodata), vectorized: only the raster's blocks that
    hold a point are read, one window each, so memory stays flat whatever the raster's size."""
    if not lons:
        return []
    source = dataset(layer)
    xs, ys = transform_points("EPSG:4326", source.crs, lons, lats)
    cols, rows = ~source.transform @ (np.asarray(xs), np.asarray(ys))
    cols, rows = np.floor(cols).astype(int), np.floor(rows).astype(int)
    inside = (rows >= 0) & (rows < source.height) & (cols >= 0) & (cols < source.width)
    values = np.full(len(lons), np.nan)
    block_height, block_width = source.block_shapes[layer.band - 1]
    blocks = (rows // block_height) * (source.width // block_width + 1) + cols // block_width
    for block in np.unique(blocks[inside]):
        here = inside & (blocks == block)
        top, left = rows[here].min(), cols[here].min()
        window = Window(left, top, cols[here].max() - left + 1, rows[here].max() - top + 1)
        values[here] = source.read(layer.band, window=window)[rows[here] - top, cols[here] - left]
    if layer.nodata is not None:
        values[values == layer.nodata] = np.nan
    return [None if np.isnan(v) else float(v) for v in values]
