"""A small MBTiles file for the basemap tests: raster tiles (PNG or JPEG) drawn with Pillow over the city."""
import io
import math
import sqlite3
from pathlib import Path

from PIL import Image, ImageDraw

CITY = (22.90, 40.58, 23.00, 40.66)  # west, south, east, north


def tile_of(lon: float, lat: float, z: int) -> tuple[int, int]:
    """The XYZ tile holding lon/lat at zoom z (Web Mercator)."""
    n = 2 ** z
    x = int((lon + 180.0) / 360.0 * n)
    y = int((1.0 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2.0 * n)
    return x, y


def tiles_over(bbox, z: int) -> list[tuple[int, int]]:
    west, south, east, north = bbox
    x0, y0 = tile_of(west, north, z)
    x1, y1 = tile_of(east, south, z)
    return [(x, y) for x in range(x0, x1 + 1) for y in range(y0, y1 + 1)]


def make_mbtiles(path: Path, *, fmt: str = "png", zooms=(11, 12, 13, 14), bbox=CITY) -> dict:
    """Write the file; answers {(z, x, y): tile bytes} of what it holds (XYZ)."""
    written = {}
    db = sqlite3.connect(path)
    db.executescript("""
        CREATE TABLE metadata (name TEXT, value TEXT);
        CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB);
        CREATE UNIQUE INDEX tile_index ON tiles (zoom_level, tile_column, tile_row);
    """)
    db.executemany("INSERT INTO metadata VALUES (?, ?)", [
        ("name", "Thessaloniki test basemap"), ("format", fmt), ("type", "baselayer"), ("version", "1"),
        ("bounds", ",".join(map(str, bbox))), ("minzoom", str(min(zooms))), ("maxzoom", str(max(zooms))),
        ("attribution", "Test basemap of the city"),
    ])
    for z in zooms:
        for x, y in tiles_over(bbox, z):
            image = Image.new("RGB", (256, 256), (200 + (x % 5) * 10, 220, 200 + (y % 5) * 10))
            ImageDraw.Draw(image).text((8, 8), f"{z}/{x}/{y}", fill=(60, 60, 60))
            buffer = io.BytesIO()
            image.save(buffer, format="PNG" if fmt == "png" else "JPEG")
            data = buffer.getvalue()
            db.execute("INSERT INTO tiles VALUES (?, ?, ?, ?)", (z, x, 2 ** z - 1 - y, data))
            written[(z, x, y)] = data
    db.commit()
    db.close()
    return written
