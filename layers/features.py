"""Reading a registered collection in SQL: GeoJSON features built by PostGIS, counts, extents, points.
Identifiers come from the registry; values are bound parameters."""
from collections import OrderedDict
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import transaction
from psycopg import sql

from .change_stamps import stamp
from .ogc.crs import OutputCrs
from .registry import Collection
from core.replica import read_connection, reading_alias

DEFAULT_LIMIT = 100
MAX_LIMIT = 10_000


# PostGIS gives its functions high costs, so the planner takes a query over a few thousand geometries for a big
# one: it compiles the expressions with JIT (tens to hundreds of milliseconds, often more than the query itself)
# and starts parallel workers (new processes that must load PostGIS) where they cost more than they save. Layer
# statements are planned without JIT; tiles, small indexed queries, also without parallel workers, while counts
# and deep pages keep them (measured in bench/bench_layers.py, figures in docs/PERFORMANCE.md).
WITHOUT_JIT = "SELECT set_config('jit', 'off', true)"
SERIAL_WITHOUT_JIT = "SELECT set_config('jit', 'off', true), set_config('max_parallel_workers_per_gather', '0', true)"


@contextmanager
def layer_cursor(*, parallel: bool = True):
    """A cursor whose statements are planned as said above, in the caller's transaction (a response's snapshot)
    or, outside one, in a transaction of its own: the settings are local to the transaction."""
    alias = reading_alias()
    with transaction.atomic(using=alias, savepoint=False), read_connection().cursor() as cursor:
        cursor.execute(WITHOUT_JIT if parallel else SERIAL_WITHOUT_JIT)
        yield cursor


@dataclass
class ItemsQuery:
    where: sql.Composable
    params: list


def where_clause(collection: Collection, *, bbox=None, bbox_crs: OutputCrs | None = None, datetime_range=None,
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


def _geometry_sql(collection: Collection, crs: OutputCrs) -> sql.Composable:
    geometry = sql.Identifier(collection.geometry_column)
    if crs.srid != 4326:
        geometry = sql.SQL("ST_Transform({}, {})").format(geometry, sql.Literal(crs.srid))
    elif crs.lat_first:
        geometry = sql.SQL("ST_FlipCoordinates({})").format(geometry)
    # options 0: no "crs" member inside the geometry; the Content-Crs header says which CRS it is
    return sql.SQL("coalesce(ST_AsGeoJSON({}, {}, 0), 'null')").format(geometry, sql.Literal(crs.digits))


def properties_sql(collection: Collection) -> sql.Composable:
    """json_build_object of the collection's public properties."""
    pairs = sql.SQL(", ").join(sql.SQL("{}, {}").format(sql.Literal(name), sql.Identifier(name)) for name in collection.properties)
    return sql.SQL("json_build_object({})").format(pairs)


def feature_sql(collection: Collection, crs: OutputCrs) -> sql.Composable:
    """A feature's GeoJSON text, joined as text: PostGIS's GeoJSON goes in as it is written, not parsed into a json
    value and written out again (a page of 1,000 reports: about a sixth less time in the database)."""
    return sql.SQL(
        """'{{"type": "Feature", "id": ' || to_json({id})::text || ', "geometry": ' || {geometry}"""
        """ || ', "properties": ' || {props}::text || '}}'"""
    ).format(id=sql.Identifier(collection.id_column), geometry=_geometry_sql(collection, crs), props=properties_sql(collection))


# numberMatched. A count of every matching row is as dear as reading them all (a million reports: about 100 ms and
# more), so counts are kept per process, keyed by the layer's change stamp: the count of a collection, or of one
# filter of it, is made once per data version. A filtered request's count stops at COUNT_CAP matching rows: up to
# there it is exact, past it numberMatched is left out (it is optional in OGC API - Features; the `next` links
# still lead to the last page). docs/ARCHITECTURE.md "Counts and pages" has the rule.
COUNT_CAP = 100_000
_counts: OrderedDict[tuple, int | None] = OrderedDict()
_COUNTS_KEPT = 1024


def count(collection: Collection, query: ItemsQuery, *, filtered: bool = True) -> int | None:
    """The number of matching features, exact; None when a filtered request matches more than COUNT_CAP."""
    key = (collection.id, stamp(collection.sources).key, repr(query.where), repr(query.params), filtered and COUNT_CAP)
    if key in _counts:
        _counts.move_to_end(key)
        return _counts[key]
    table = sql.Identifier(collection.table)
    if filtered:
        statement = sql.SQL("SELECT count(*) FROM (SELECT 1 FROM {table} WHERE {where} LIMIT %s) AS matching").format(
            table=table, where=query.where)
        params = [*query.params, COUNT_CAP + 1]
    else:
        statement = sql.SQL("SELECT count(*) FROM {table} WHERE {where}").format(table=table, where=query.where)
        params = query.params
    with layer_cursor() as cursor:
        cursor.execute(statement, params)
        found = cursor.fetchone()[0]
    result = None if filtered and found > COUNT_CAP else found
    _counts[key] = result
    if len(_counts) > _COUNTS_KEPT:
        _counts.popitem(last=False)
    return result


def features(collection: Collection, query: ItemsQuery, crs: OutputCrs, *, limit: int, offset: int = 0,
             after=None) -> list[str]:
    """Each feature's GeoJSON text (see `page`)."""
    return [text for _, text in page(collection, query, crs, limit=limit, offset=offset, after=after)]


def page(collection: Collection, query: ItemsQuery, crs: OutputCrs, *, limit: int, offset: int = 0,
         after=None) -> list[tuple]:
    """(id, GeoJSON text) of each feature, in id order, read now (in the caller's snapshot): those with an id greater than
    `after` (a keyset: the `next` link's page costs what the first page costs, however deep), skipping `offset`.

    The page is cut in a subquery and the JSON built outside it: PostgreSQL computes a select list for every
    row a LIMIT/OFFSET reads, skipped ones included, so building it inside would turn each of the `offset` rows
    before the page into GeoJSON only to throw it away (the page at offset 900,000 of 1,000,000 reports: 2.5 s
    built inside, 0.86 s outside)."""
    where, params = query.where, list(query.params)
    if after is not None:
        where = sql.SQL("{} AND {} > %s").format(where, sql.Identifier(collection.id_column))
        params.append(after)
    statement = sql.SQL(
        "SELECT {id}, {feature} FROM (SELECT * FROM {table} WHERE {where} ORDER BY {id} LIMIT %s OFFSET %s) AS page "
        "ORDER BY {id}"
    ).format(feature=feature_sql(collection, crs), table=sql.Identifier(collection.table), where=where,
             id=sql.Identifier(collection.id_column))
    with layer_cursor() as cursor:
        cursor.execute(statement, [*params, limit, offset])
        return cursor.fetchall()


def one(collection: Collection, feature_id: str, crs: OutputCrs) -> str | None:
    statement = sql.SQL("SELECT {feature} FROM {table} WHERE {id}::text = %s").format(
        feature=feature_sql(collection, crs), table=sql.Identifier(collection.table), id=sql.Identifier(collection.id_column))
    with read_connection().cursor() as cursor:
        cursor.execute(statement, [feature_id])
        row = cursor.fetchone()
    return row[0] if row else None


def points(collection: Collection) -> list[dict]:
    """A point collection's features as id, lon, lat and public properties, in id order."""
    statement = sql.SQL("SELECT {id} AS id, ST_X({g}) AS lon, ST_Y({g}) AS lat, {props} AS properties "
                        "FROM {table} ORDER BY {id}").format(
        id=sql.Identifier(collection.id_column), g=sql.Identifier(collection.geometry_column), props=properties_sql(collection),
        table=sql.Identifier(collection.table))
    with read_connection().cursor() as cursor:
        cursor.execute(statement)
        columns = [c.name for c in cursor.description]
        return [dict(zip(columns, row)) for row in cursor.fetchall()]


def time_extent(collection: Collection) -> list | None:
    """The first and last time of a collection with a time, or None."""
    if not collection.datetime_column:
        return None
    statement = sql.SQL("SELECT min({t}), max({t}) FROM {table}").format(
        t=sql.Identifier(collection.datetime_column), table=sql.Identifier(collection.table))
    with read_connection().cursor() as cursor:
        cursor.execute(statement)
        first, last = cursor.fetchone()
    return [first, last] if first else None


def extent(collection: Collection) -> list[float] | None:
    statement = sql.SQL("SELECT ST_Extent({g}) FROM {table}").format(
        g=sql.Identifier(collection.geometry_column), table=sql.Identifier(collection.table))
    with read_connection().cursor() as cursor:
        cursor.execute(statement)
        box = cursor.fetchone()[0]
    if not box:
        return None
    numbers = box.replace("BOX(", "").replace(")", "").replace(",", " ").split()
    return [round(float(n), 7) for n in numbers]


@dataclass(frozen=True)
class Extents:
    bbox: list[float] | None
    times: list | None


_extents: dict[tuple[str, str], Extents] = {}


def extents(collection: Collection) -> Extents:
    """The spatial and temporal extents, computed once per data version in each process (a million reports
    take a full scan): the change stamp says whether the ones at hand still hold."""
    key = (collection.id, stamp(collection.sources).key)
    if key not in _extents:
        if len(_extents) >= 256:
            _extents.clear()
        _extents[key] = Extents(bbox=extent(collection), times=time_extent(collection))
    return _extents[key]
