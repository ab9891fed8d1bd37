"""Mapbox Vector Tiles of any registered collection, straight from ST_AsMVT."""
from psycopg import sql

from ..features import layer_cursor
from ..registry import Collection
from ..tile_grid import MAX_ZOOM, TileOutsideMatrix, check_tile, tile_width_m

EXTENT = 4096
BUFFER = 64
MAX_FEATURES_PER_TILE = 20_000
# a point has no vertices to thin: simplifying it is a round trip through GEOS for nothing (10% of a z17 tile of
# public issue reports, measured in bench/bench_layers.py)
UNSIMPLIFIABLE = {"Point", "MultiPoint"}

__all__ = ["MAX_ZOOM", "TileOutsideMatrix", "tile", "tile_sql"]


def tile_sql(collection: Collection) -> sql.Composable:
    """Rows are picked with && against the tile envelope in the table's own SRID (the GiST index works),
    lines and polygons simplified to a fraction of a pixel at the tile's zoom, clipped and encoded by PostGIS."""
    properties = sql.SQL(", ").join(sql.SQL("t.{}").format(sql.Identifier(name)) for name in collection.properties)
    projected = sql.SQL("ST_Transform(t.{}, 3857)").format(sql.Identifier(collection.geometry_column))
    if collection.geometry_type not in UNSIMPLIFIABLE:
        projected = sql.SQL("ST_SimplifyPreserveTopology({}, %(tolerance)s)").format(projected)
    return sql.SQL("""
        WITH bounds AS (SELECT ST_TileEnvelope(%(z)s, %(x)s, %(y)s) AS tile),
        rows AS (
            SELECT {id} AS id,
                   ST_AsMVTGeom({projected}, bounds.tile, {extent}, {buffer}, true) AS mvt_geometry,
                   {properties}
            FROM {table} AS t, bounds
            WHERE t.{geometry} && ST_Transform(bounds.tile, 4326)
            LIMIT {cap}
        )
        SELECT ST_AsMVT(rows.*, {layer}, {extent}, 'mvt_geometry'{feature_id}) FROM rows WHERE mvt_geometry IS NOT NULL
    """).format(
        # MVT feature ids are integers: text identifiers (a slug, a code) travel as the 'id' property instead
        feature_id=sql.SQL(", 'id'") if collection.integer_ids else sql.SQL(""),
        id=sql.SQL("t.{}").format(sql.Identifier(collection.id_column)), geometry=sql.Identifier(collection.geometry_column),
        projected=projected, extent=sql.Literal(EXTENT), buffer=sql.Literal(BUFFER), properties=properties, table=sql.Identifier(collection.table),
        cap=sql.Literal(MAX_FEATURES_PER_TILE), layer=sql.Literal(collection.id),
    )


def tile(collection: Collection, z: int, x: int, y: int) -> bytes:
    check_tile(z, x, y)
    # a quarter of a pixel of this zoom, in metres: invisible, but it thins the vertices of large polygons
    tolerance = tile_width_m(z) / EXTENT / 4
    with layer_cursor(parallel=False) as cursor:  # no JIT, no parallel workers: see layer_cursor
        cursor.execute(tile_sql(collection), {"z": z, "x": x, "y": y, "tolerance": tolerance})
        data = cursor.fetchone()[0]
    return bytes(data) if data else b""
