"""Items of a collection as GeoJSON built in SQL: one composed query for the features, one for the count."""
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connection, transaction
from psycopg import sql

from .crs import OutputCrs
from .registry import FeatureCollection


# PostGIS gives its functions high costs, so the planner takes a query over a few thousand geometries for a big
# one: it compiles the expressions with JIT (tens to hundreds of milliseconds, often more than the query itself)
# and starts parallel workers (new processes that must load PostGIS) where they cost more than they save. Layer
# statements are planned without JIT; tiles, small indexed queries, also without parallel workers, while counts
# and deep pages keep them (measured in bench/bench_layers.py, figures in docs/PERFORMANCE.md).
WITHOUT_JIT = "SELECT set_config('jit', 'off', true)"
SERIAL_WITHOUT_JIT = "SELECT set_config('jit', 'off', true), set_config('max_parallel_workers_per_gather', '0', true)"


@contextmanager
def layer_cursor(*, parallel: bool = True):
    """A cursor in a transaction of its own whose statements are planned as said above."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(WITHOUT_JIT if parallel else SERIAL_WITHOUT_JIT)
        yield cursor


@dataclass
class ItemsQuery:
    where: sql.Composable
    params: list


def where_clause(collection: FeatureCollection, *, bbox=None, bbox_crs: OutputCrs | None = None, datetime_range=None,
                 equals: dict | None = None, cql=None) -> ItemsQuery:
    """Combine bbox, datetime, property=value and CQL2 conditions into one WHERE with bound parameters."""
    parts: list[sql.Composable] = [sql.SQL("TRUE")]
    params: list = []
    geometry = sql.Identifier(collection.geometry_column)
    if bbox is not None:
        x1, y1, x2, y2 = bbox
        if bbox_crs and bbox_crs.lat_first:
            x1, y1, x2, y2 = y1, x1, y2, x2
        srid = bbox_crs.srid if bbox_crs else 4326
        params.extend([x1, y1, x2, y2])
        parts.append(sql.SQL("ST_Intersects({g}, ST_Transform(ST_MakeEnvelope(%s, %s, %s, %s, {srid}), 4326))").format(
            g=geometry, srid=sql.Literal(srid)))
    if datetime_range is not None and collection.datetime_column:
        start, end = datetime_range
        column = sql.Identifier(collection.datetime_column)
        if start is not None:
            params.append(start)
            parts.append(sql.SQL("{} >= %s").format(column))
        if end is not None:
            params.append(end)
            parts.append(sql.SQL("{} <= %s").format(column))
    for name, value in (equals or {}).items():
        params.append(value)
        parts.append(sql.SQL("{}::text = %s").format(sql.Identifier(name)))
    if cql is not None:
        parts.append(cql[0])
        params.extend(cql[1])
    return ItemsQuery(where=sql.SQL(" AND ").join(parts), params=params)


def _geometry_sql(collection: FeatureCollection, crs: OutputCrs) -> sql.Composable:
    geometry = sql.Identifier(collection.geometry_column)
    if crs.srid != 4326:
        geometry = sql.SQL("ST_Transform({}, {})").format(geometry, sql.Literal(crs.srid))
    elif crs.lat_first:
        geometry = sql.SQL("ST_FlipCoordinates({})").format(geometry)
    # options 0: no "crs" member inside the geometry; the Content-Crs header says which CRS it is
    return sql.SQL("ST_AsGeoJSON({}, {}, 0)::json").format(geometry, sql.Literal(crs.digits))


def feature_sql(collection: FeatureCollection, crs: OutputCrs) -> sql.Composable:
    properties = sql.SQL(", ").join(
        sql.SQL("{}, {}").format(sql.Literal(name), sql.Identifier(name)) for name in collection.properties
    )
    return sql.SQL(
        "json_build_object('type', 'Feature', 'id', {id}, 'geometry', {geometry}, 'properties', json_build_object({props}))::text"
    ).format(id=sql.Identifier(collection.id_column), geometry=_geometry_sql(collection, crs), props=properties)


def count(collection: FeatureCollection, query: ItemsQuery) -> int:
    statement = sql.SQL("SELECT count(*) FROM {table} WHERE {where}").format(
        table=sql.Identifier(collection.table), where=query.where)
    with layer_cursor() as cursor:
        cursor.execute(statement, query.params)
        return cursor.fetchone()[0]


def features(collection: FeatureCollection, query: ItemsQuery, crs: OutputCrs, *, limit: int, offset: int, batch: int = 500):
    """Yield each feature's GeoJSON text, in batches from the database.

    The page is cut in a subquery and the JSON built outside it: PostgreSQL computes a select list for every
    row a LIMIT/OFFSET reads, skipped ones included, so building it inside would turn each of the `offset` rows
    before the page into GeoJSON only to throw it away (the page at offset 900,000 of 1,000,000 reports: 2.5 s
    built inside, 0.86 s outside)."""
    statement = sql.SQL(
        "SELECT {feature} FROM (SELECT * FROM {table} WHERE {where} ORDER BY {id} LIMIT %s OFFSET %s) AS page ORDER BY {id}"
    ).format(feature=feature_sql(collection, crs), table=sql.Identifier(collection.table), where=query.where,
             id=sql.Identifier(collection.id_column))
    with layer_cursor() as cursor:
        cursor.execute(statement, [*query.params, limit, offset])
        while rows := cursor.fetchmany(batch):
            for (text,) in rows:
                yield text


def one(collection: FeatureCollection, feature_id: str, crs: OutputCrs) -> str | None:
    statement = sql.SQL("SELECT {feature} FROM {table} WHERE {id}::text = %s").format(
        feature=feature_sql(collection, crs), table=sql.Identifier(collection.table), id=sql.Identifier(collection.id_column))
    with connection.cursor() as cursor:
        cursor.execute(statement, [feature_id])
        row = cursor.fetchone()
    return row[0] if row else None


def extent(collection: FeatureCollection) -> list[float] | None:
    statement = sql.SQL("SELECT ST_Extent({g}) FROM {table}").format(
        g=sql.Identifier(collection.geometry_column), table=sql.Identifier(collection.table))
    with connection.cursor() as cursor:
        cursor.execute(statement)
        box = cursor.fetchone()[0]
    if not box:
        return None
    numbers = box.replace("BOX(", "").replace(")", "").replace(",", " ").split()
    return [round(float(n), 7) for n in numbers]
