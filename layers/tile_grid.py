"""The one tile grid of the portal: OGC's WebMercatorQuad TileMatrixSet, as morecantile defines it.

Vector tiles (layers/ogc/tiles.py), raster hazard tiles (hazards/tiles.py) and the OGC API – Tiles metadata
(layers/ogc/tilesets.py) take their zoom range, tile bounds and tile ranges from here, and check a requested
tile with `check_tile`, whose error names the valid range."""
from dataclasses import dataclass

import morecantile

from core.errors import NotFound

TMS = morecantile.tms.get("WebMercatorQuad")
TMS_ID = TMS.id  # "WebMercatorQuad"
TMS_URI = str(TMS.uri)  # http://www.opengis.net/def/tilematrixset/OGC/1.0/WebMercatorQuad
CRS_URI = "http://www.opengis.net/def/crs/EPSG/0/3857"
MIN_ZOOM = TMS.minzoom
# the matrix set defines 25 levels; beyond 22 (4 cm pixels) nothing the portal holds gains detail
MAX_ZOOM = min(22, TMS.maxzoom)
TILE_SIZE = TMS.matrix(0).tileWidth


class TileOutsideMatrix(NotFound):
    """404: a tile that is not in the portal's WebMercatorQuad matrices (the message names the valid range)."""

    code = "tile_outside_matrix"


def check_tile(z: int, x: int, y: int) -> morecantile.Tile:
    """The tile at zoom z, column x, row y (XYZ: row 0 at the top), or TileOutsideMatrix."""
    if not MIN_ZOOM <= z <= MAX_ZOOM:
        raise TileOutsideMatrix(f"zoom {z} is outside {MIN_ZOOM} to {MAX_ZOOM} (WebMercatorQuad)")
    tile = morecantile.Tile(x=x, y=y, z=z)
    if not TMS.is_valid(tile):
        last = TMS.matrix(z).matrixWidth - 1
        raise TileOutsideMatrix(f"tile column {x}, row {y} does not exist at zoom {z}: outside the matrix "
                                f"(columns and rows 0 to {last})")
    return tile


def tile_bounds(z: int, x: int, y: int) -> tuple[float, float, float, float]:
    """The tile's bounds in EPSG:3857 (west, south, east, north), after check_tile."""
    bounds = TMS.xy_bounds(check_tile(z, x, y))
    return bounds.left, bounds.bottom, bounds.right, bounds.top


def tile_width_m(z: int) -> float:
    """The width of one tile at zoom z, in Web Mercator metres."""
    return TMS.matrix(z).cellSize * TILE_SIZE


@dataclass(frozen=True)
class MatrixLimits:
    zoom: int
    min_col: int
    max_col: int
    min_row: int
    max_row: int


def limits(bbox: list[float] | tuple[float, ...] | None, min_zoom: int = MIN_ZOOM,
           max_zoom: int = MAX_ZOOM) -> list[MatrixLimits]:
    """Per zoom, the columns and rows of the tiles that cover a WGS84 bbox (west, south, east, north);
    every tile of each zoom when there is no bbox."""
    found = []
    for zoom in range(min_zoom, max_zoom + 1):
        if bbox is None:
            last = TMS.matrix(zoom).matrixWidth - 1
            found.append(MatrixLimits(zoom, 0, last, 0, last))
            continue
        west, south, east, north = bbox
        top_left = TMS.tile(west, north, zoom, truncate=True)
        bottom_right = TMS.tile(east, south, zoom, truncate=True)
        found.append(MatrixLimits(zoom, top_left.x, bottom_right.x, top_left.y, bottom_right.y))
    return found
