"""Raster hazard tiles: the window of a GeoTIFF under one WebMercatorQuad tile, read by rio-tiler (a WarpedVRT
over the best overview for the zoom, so a tile costs one window whatever the raster's size) and coloured by
level, as PNG. The tile grid and its range check come from layers/tile_grid.py (morecantile)."""
import io
import math

import numpy as np
from PIL import Image
from rio_tiler.errors import TileOutsideBounds

from layers.tile_grid import TILE_SIZE, TileOutsideMatrix, check_tile

from . import rasters
from .models import LEVELS, HazardLayer

# RGBA per class: below very_low, then very_low … high (ColorBrewer YlOrRd), semi-transparent for overlays.
COLOURS = {
    "none": (255, 255, 255, 0),
    "very_low": (255, 255, 178, 150),
    "low": (254, 204, 92, 165),
    "medium": (253, 141, 60, 180),
    "high": (227, 26, 28, 195),
}
PALETTE = np.array([COLOURS[name] for name in ["none", *LEVELS]], dtype="uint8")

__all__ = ["COLOURS", "TileOutsideMatrix", "legend", "render_tile", "tile_values"]


def tile_values(layer: HazardLayer, z: int, x: int, y: int) -> np.ndarray:
    """The layer's values under the tile (TILE_SIZE × TILE_SIZE float32, NaN where there is no data);
    TileOutsideMatrix for a tile that does not exist."""
    check_tile(z, x, y)
    values = np.full((TILE_SIZE, TILE_SIZE), np.nan, dtype="float32")
    try:
        image = rasters.tile_reader(layer).tile(x, y, z, tilesize=TILE_SIZE, indexes=layer.band, nodata=layer.nodata,
                                                resampling_method="nearest", reproject_method="nearest")
    except TileOutsideBounds:  # the tile does not touch the raster
        return values
    band = image.array[0]  # a masked array: masked where nodata or outside the raster
    values[~np.ma.getmaskarray(band)] = np.ma.getdata(band)[~np.ma.getmaskarray(band)]
    return values


def render_tile(layer: HazardLayer, z: int, x: int, y: int) -> bytes:
    """PNG bytes of the tile: each pixel coloured by its level, transparent where there is no data."""
    values = tile_values(layer, z, x, y)
    thresholds = [layer.thresholds[level] for level in LEVELS]
    classes = np.searchsorted(thresholds, np.nan_to_num(values, nan=-math.inf), side="right")  # 0 none … 4 high
    rgba = PALETTE[classes]
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
