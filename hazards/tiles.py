"""Raster hazard tiles: a GeoTIFF warped to a Web Mercator tile and coloured by level, as PNG."""
import io
import math

import numpy as np
from PIL import Image
from rasterio.enums import Resampling
from rasterio.transform import from_bounds
from rasterio.warp import reproject

from . import rasters
from .models import LEVELS, HazardLayer

TILE_SIZE = 256
MAX_ZOOM = 22
WEB_MERCATOR_HALF = 20037508.342789244
# RGBA per class: below very_low, then very_low … high (ColorBrewer YlOrRd), semi-transparent for overlays.
COLOURS = {
    "none": (255, 255, 255, 0),
    "very_low": (255, 255, 178, 150),
    "low": (254, 204, 92, 165),
    "medium": (253, 141, 60, 180),
    "high": (227, 26, 28, 195),
}


class TileOutOfRange(ValueError):
    pass


def tile_bounds(z: int, x: int, y: int) -> tuple[float, float, float, float]:
    """The tile's bounds in EPSG:3857 (XYZ scheme, y from the top)."""
    if not 0 <= z <= MAX_ZOOM:
        raise TileOutOfRange(f"zoom {z} is outside 0 to {MAX_ZOOM}")
    n = 2 ** z
    if not (0 <= x < n and 0 <= y < n):
        raise TileOutOfRange(f"tile {x}/{y} does not exist at zoom {z} (0 to {n - 1})")
    size = 2 * WEB_MERCATOR_HALF / n
    left = -WEB_MERCATOR_HALF + x * size
    top = WEB_MERCATOR_HALF - y * size
    return left, top - size, left + size, top


def render_tile(layer: HazardLayer, z: int, x: int, y: int) -> bytes:
    """PNG bytes of the tile: each pixel coloured by its level, transparent where there is no data."""
    west, south, east, north = tile_bounds(z, x, y)
    source = rasters.dataset(layer)
    values = np.full((TILE_SIZE, TILE_SIZE), np.nan, dtype="float32")
    reproject(
        source=source.read(layer.band), destination=values,
        src_transform=source.transform, src_crs=source.crs, src_nodata=layer.nodata,
        dst_transform=from_bounds(west, south, east, north, TILE_SIZE, TILE_SIZE), dst_crs="EPSG:3857",
        dst_nodata=np.nan, resampling=Resampling.nearest,
    )
    thresholds = [layer.thresholds[level] for level in LEVELS]
    classes = np.searchsorted(thresholds, np.nan_to_num(values, nan=-math.inf), side="right")  # 0 none … 4 high
    palette = np.array([COLOURS[name] for name in ["none", *LEVELS]], dtype="uint8")
    rgba = palette[classes]
    rgba[np.isnan(values)] = (0, 0, 0, 0)
    out = io.BytesIO()
    Image.fromarray(rgba, mode="RGBA").save(out, format="PNG", optimize=False)
    return out.getvalue()


def legend(layer: HazardLayer) -> dict:
    thresholds = layer.thresholds
    bounds = [*[thresholds[level] for level in LEVELS], None]
    return {
        "layer": layer.slug, "title_el": layer.title_el, "title_en": layer.title_en, "units": layer.units,
        "provenance": layer.provenance,
        "classes": [
            {"level": level, "from": bounds[i], "to": bounds[i + 1], "rgba": list(COLOURS[level])}
            for i, level in enumerate(LEVELS)
        ],
        "no_data": {"rgba": [0, 0, 0, 0], "meaning": "no data, or outside the layer"},
    }
