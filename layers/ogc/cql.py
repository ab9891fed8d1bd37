"""CQL2 (text and JSON) to SQL: parsed by pygeofilter, checked against the collection's queryables (names
and types), and translated node by node into composed SQL whose identifiers come from the collection's
registry entry and whose values are bound parameters. Whatever the text, the answer is a clause or a
FilterError that says where the problem is; no text of the filter is ever spliced into the SQL."""
import json
import math
from datetime import date, datetime

import numpy
import shapely
import shapely.errors
import shapely.geometry
import shapely.validation
from psycopg import sql
from pygeofilter import ast, values
from pygeofilter.parsers.cql2_json import parse as parse_json
from pygeofilter.parsers.cql2_text import parse as parse_text

from ..registry import Collection

COMPARISONS = {
    ast.Equal: "=", ast.NotEqual: "<>", ast.LessThan: "<", ast.LessEqual: "<=", ast.GreaterThan: ">", ast.GreaterEqual: ">=",
}
SPATIAL = {ast.GeometryIntersects: "ST_Intersects", ast.GeometryWithin: "ST_Within"}
NUMERIC = {"integer", "number"}
# Coordinates beyond this are no place on Earth in any CRS offered (degrees or metres).
MAX_COORDINATE = 1e8


class FilterError(ValueError):
    """The filter does not parse or names what the collection does not have; the message says where."""


def parse(text: str, language: str):
    if "\x00" in text:
        raise FilterError(f"filter: a NUL character at position {text.index(chr(0)) + 1}; remove it")
    if language == "cql2-json":
        try:
            document = json.loads(text)
        except json.JSONDecodeError as exc:
            raise FilterError(f"filter: not valid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}") from None
        try:
            return parse_json(document)
        except Exception as exc:  # pygeofilter raises plain errors for unsupported JSON nodes
            raise FilterError(f"filter: not valid CQL2 JSON at position 1: {_first_line(exc)}") from None
    try:
        return parse_text(text)
    except Exception as exc:  # lark's errors carry the line and column; a failed conversion does not
        line, column = getattr(exc, "line", None), getattr(exc, "column", None)
        if not (isinstance(line, int) and line > 0 and isinstance(column, int) and column > 0):
            line, column = _end_position(text)
        hint = ("; a quote ('' or \\') or a line break inside a text value cannot be read in cql2-text: send the "
                "filter as cql2-json" if ("''" in text or "\\'" in text or "\n" in text) else "")
        raise FilterError(f"filter: cannot parse the CQL2 text at line {line}, column {column}: {_first_line(exc)}{hint}") from None


def _first_line(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0][:200] if text else exc.__class__.__name__


def _end_position(text: str) -> tuple[int, int]:
    """Where an error found only after reading the whole text is reported: its end."""
    lines = text.split("\n")
    return len(lines), len(lines[-1]) + 1


def to_sql(node, collection: Collection, filter_srid: int = 4326, text: str = "") -> tuple[sql.Composable, list]:
    """A WHERE clause for the node, and its parameters; text, when given, locates a faulty property."""
    params: list = []
    try:
        clause = _Translator(collection, params, filter_srid).condition(node)
    except PropertyError as exc:
        position = text.find(exc.name) if exc.name else -1
        where = f" at position {position + 1}" if position >= 0 else " at position 1"
        raise FilterError(f"filter: '{exc.name}'{where} {exc.problem}") from None
    except FilterError as exc:
        raise FilterError(f"{exc} (at position 1)") from None
    return clause, params


class PropertyError(FilterError):
    """A named property is unknown, or used with a value of another type."""

    def __init__(self, name: str, problem: str):
        super().__init__(f"{name} {problem}")
        self.name, self.problem = name, problem


class _Translator:
    def __init__(self, collection: Collection, params: list, srid: int):
        self.collection, self.params, self.srid = collection, params, srid

    # --- operands: (SQL, kind, property name or None) ----------------------------------------

    def operand(self, node) -> tuple[sql.Composable, str, str | None]:
        if isinstance(node, ast.Attribute):
            return self.column(node.name)
        if isinstance(node, values.Geometry):
            self.params.append(json.dumps(_checked_geometry(node.geometry)))
            return sql.SQL("ST_Transform(ST_SetSRID(ST_GeomFromGeoJSON(%s), {srid}), 4326)").format(srid=sql.Literal(self.srid)), \
                "geometry", None
        if isinstance(node, ast.Function) and node.name.lower() == "bbox" and len(node.arguments) in (4, 6):
            numbers = node.arguments if len(node.arguments) == 4 else [node.arguments[i] for i in (0, 1, 3, 4)]
            if not all(isinstance(n, (int, float)) and not isinstance(n, bool) for n in numbers):
                raise FilterError("filter: BBOX takes numbers: BBOX(min x, min y, max x, max y)")
            return self.envelope(*numbers), "geometry", None
        if isinstance(node, values.Envelope):
            return self.envelope(node.x1, node.y1, node.x2, node.y2), "geometry", None
        return self.literal(node)

    def column(self, name: str):
        collection = self.collection
        if name in collection.properties:
            return sql.Identifier(name), collection.properties[name], name
        if name == collection.id_column:
            return sql.Identifier(name), "integer" if collection.integer_ids else "string", name
        if name in ("geometry", collection.geometry_column):
            return sql.Identifier(collection.geometry_column), "geometry", name
        known = ", ".join(sorted([*collection.properties, "geometry"]))
        raise PropertyError(name, f"is not a queryable of {collection.id}; the queryables are: {known}")

    def envelope(self, x1, y1, x2, y2) -> sql.Composable:
        numbers = [float(n) for n in (x1, y1, x2, y2)]
        if not all(math.isfinite(n) and abs(n) <= MAX_COORDINATE for n in numbers):
            raise FilterError("filter: BBOX needs finite coordinates")
        if numbers[0] > numbers[2] or numbers[1] > numbers[3]:
            raise FilterError("filter: BBOX takes the lower corner first: BBOX(min x, min y, max x, max y)")
        self.params.extend(numbers)
        return sql.SQL("ST_Transform(ST_MakeEnvelope(%s, %s, %s, %s, {srid}), 4326)").format(srid=sql.Literal(self.srid))

    def literal(self, value) -> tuple[sql.Composable, str, None]:
        if isinstance(value, bool):
            kind = "boolean"
        elif isinstance(value, int):
            kind = "integer"
        elif isinstance(value, float):
            if not math.isfinite(value):
                raise FilterError("filter: numbers must be finite")
            kind = "number"
        elif isinstance(value, str):
            if "\x00" in value:
                raise FilterError("filter: a text value holds a NUL character")
            kind = "string"
        elif isinstance(value, (datetime, date)):
            kind = "datetime"
        else:
            raise FilterError(f"filter: {type(value).__name__} values are not supported here; use a property, a string, "
                              "a number, a boolean, TIMESTAMP('...') or a geometry")
        self.params.append(value)
        return sql.SQL("%s"), kind, None

    # --- conditions ---------------------------------------------------------------------------

    def condition(self, node) -> sql.Composable:
        if isinstance(node, ast.And):
            return sql.SQL("({} AND {})").format(self.condition(node.lhs), self.condition(node.rhs))
        if isinstance(node, ast.Or):
            return sql.SQL("({} OR {})").format(self.condition(node.lhs), self.condition(node.rhs))
        if isinstance(node, ast.Not):
            return sql.SQL("(NOT {})").format(self.condition(node.sub_node))
        if type(node) in COMPARISONS:
            (left, left_kind, left_name), (right, right_kind, right_name) = self.operand(node.lhs), self.operand(node.rhs)
            if left_name is None and right_name is None:
                raise FilterError("filter: a comparison needs a property on one side")
            if "geometry" in (left_kind, right_kind):
                raise PropertyError(left_name or right_name, "is compared as a geometry: use S_INTERSECTS or S_WITHIN")
            _same_kind(left_name or right_name, left_kind, right_kind)
            return sql.SQL("({} {} {})").format(left, sql.SQL(COMPARISONS[type(node)]), right)
        if isinstance(node, ast.Like):
            left, kind, name = self.property_operand(node.lhs, "LIKE")
            if kind != "string":
                raise PropertyError(name, f"is {_a(kind)}; LIKE works on text")
            if not isinstance(node.pattern, str) or "\x00" in node.pattern:
                raise FilterError("filter: LIKE needs a text pattern")
            operator = ("NOT " if node.not_ else "") + ("ILIKE" if node.nocase else "LIKE")
            self.params.append(node.pattern)
            return sql.SQL("({} {} %s)").format(left, sql.SQL(operator))
        if isinstance(node, ast.In):
            left, kind, name = self.property_operand(node.lhs, "IN")
            items = []
            for item in node.sub_nodes:
                item_sql, item_kind, _ = self.operand(item)
                _same_kind(name, kind, item_kind)
                items.append(item_sql)
            if not items:
                raise FilterError("filter: IN needs at least one value")
            return sql.SQL("({} {} ({}))").format(left, sql.SQL("NOT IN" if node.not_ else "IN"), sql.SQL(", ").join(items))
        if isinstance(node, ast.Between):
            left, kind, name = self.property_operand(node.lhs, "BETWEEN")
            (low, low_kind, _), (high, high_kind, _) = self.operand(node.low), self.operand(node.high)
            _same_kind(name, kind, low_kind)
            _same_kind(name, kind, high_kind)
            return sql.SQL("({} {} {} AND {})").format(left, sql.SQL("NOT BETWEEN" if node.not_ else "BETWEEN"), low, high)
        if isinstance(node, ast.IsNull):
            left, _, _ = self.property_operand(node.lhs, "IS NULL")
            return sql.SQL("({} IS {}NULL)").format(left, sql.SQL("NOT " if node.not_ else ""))
        if type(node) in SPATIAL:
            (left, left_kind, left_name), (right, right_kind, right_name) = self.operand(node.lhs), self.operand(node.rhs)
            for name, kind in ((left_name, left_kind), (right_name, right_kind)):
                if kind != "geometry":
                    if name:
                        raise PropertyError(name, f"is {_a(kind)}; spatial functions take geometries")
                    raise FilterError("filter: spatial functions take geometries (a geometry property, POINT(...), BBOX(...))")
            return sql.SQL("{}({}, {})").format(sql.SQL(SPATIAL[type(node)]), left, right)
        raise FilterError(f"filter: {type(node).__name__} is not supported; use comparisons, LIKE, IN, BETWEEN, IS NULL, "
                          "AND/OR/NOT, S_INTERSECTS and S_WITHIN")

    def property_operand(self, node, operator: str):
        if not isinstance(node, ast.Attribute):
            raise FilterError(f"filter: {operator} needs a property on its left")
        return self.column(node.name)


def _same_kind(name: str | None, kind: str, other: str) -> None:
    if kind == other or (kind in NUMERIC and other in NUMERIC):
        return
    hint = " (write a moment as TIMESTAMP('2026-01-01T00:00:00Z'))" if "datetime" in (kind, other) else ""
    raise PropertyError(name or "?", f"is {_a(kind)}, compared with {_a(other)}{hint}")


def _a(kind: str) -> str:
    return ("an " if kind[0] in "aeiou" else "a ") + kind


def _checked_geometry(geometry: dict) -> dict:
    """A geometry literal that is valid, with finite coordinates; PostGIS would fail on anything else."""
    try:
        shape = shapely.geometry.shape(geometry)
        coordinates = shapely.get_coordinates(shape)
    except (shapely.errors.ShapelyError, ValueError, TypeError, KeyError, IndexError, AttributeError) as exc:
        raise FilterError(f"filter: the geometry cannot be read: {_first_line(exc)}") from None
    if not (numpy.isfinite(coordinates).all() and (abs(coordinates) <= MAX_COORDINATE).all()):
        raise FilterError("filter: the geometry needs finite coordinates")
    if not shape.is_valid:
        raise FilterError(f"filter: the geometry is invalid: {shapely.validation.explain_validity(shape)}")
    return geometry
