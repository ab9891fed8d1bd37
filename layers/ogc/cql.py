"""CQL2 (text and JSON) to SQL: parsed by pygeofilter, translated node by node into composed SQL whose
identifiers come from the collection's registry entry and whose values are bound parameters."""
import json
from datetime import date, datetime

from psycopg import sql
from pygeofilter import ast, values
from pygeofilter.parsers.cql2_json import parse as parse_json
from pygeofilter.parsers.cql2_text import parse as parse_text

from ..registry import Collection

COMPARISONS = {
    ast.Equal: "=", ast.NotEqual: "<>", ast.LessThan: "<", ast.LessEqual: "<=", ast.GreaterThan: ">", ast.GreaterEqual: ">=",
}
SPATIAL = {ast.GeometryIntersects: "ST_Intersects", ast.GeometryWithin: "ST_Within"}


class FilterError(ValueError):
    """The filter does not parse or names what the collection does not have; the message says where."""


def parse(text: str, language: str):
    if language == "cql2-json":
        try:
            return parse_json(json.loads(text))
        except json.JSONDecodeError as exc:
            raise FilterError(f"filter: not valid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}") from None
        except Exception as exc:  # pygeofilter raises plain errors for unsupported JSON nodes
            raise FilterError(f"filter: not valid CQL2 JSON: {exc}") from None
    try:
        return parse_text(text)
    except Exception as exc:
        line, column = getattr(exc, "line", None), getattr(exc, "column", None)
        where = f" at line {line}, column {column}" if line is not None else ""
        first = str(exc).splitlines()[0] if str(exc) else exc.__class__.__name__
        raise FilterError(f"filter: cannot parse the CQL2 text{where}: {first}") from None


def to_sql(node, collection: Collection, filter_srid: int = 4326, text: str = "") -> tuple[sql.Composable, list]:
    """A WHERE clause for the node, and its parameters; text, when given, locates an unknown property."""
    params: list = []
    try:
        clause = _node(node, collection, params, filter_srid)
    except UnknownProperty as exc:
        position = text.find(exc.name)
        where = f" at position {position + 1}" if position >= 0 else ""
        raise FilterError(f"filter: '{exc.name}'{where} is not a queryable of {collection.id}; the queryables are: {exc.known}") from None
    return clause, params


class UnknownProperty(FilterError):
    def __init__(self, name: str, known: str):
        super().__init__(name)
        self.name, self.known = name, known


def _column(name: str, collection: Collection) -> sql.Composable:
    if name in collection.properties or name == collection.id_column:
        return sql.Identifier(name)
    if name in ("geometry", collection.geometry_column):
        return sql.Identifier(collection.geometry_column)
    raise UnknownProperty(name, ", ".join(sorted([*collection.properties, "geometry"])))


def _value(value, params: list) -> sql.Composable:
    if isinstance(value, (str, int, float, bool, datetime, date)) and not isinstance(value, ast.Node):
        params.append(value)
        return sql.SQL("%s")
    if isinstance(value, values.Timestamp if hasattr(values, "Timestamp") else ()):
        params.append(value.value)
        return sql.SQL("%s")
    raise FilterError(f"filter: unsupported value {value!r}")


def _operand(node, collection, params, srid) -> sql.Composable:
    if isinstance(node, ast.Attribute):
        return _column(node.name, collection)
    if isinstance(node, values.Geometry):
        params.append(json.dumps(node.geometry))
        return sql.SQL("ST_Transform(ST_SetSRID(ST_GeomFromGeoJSON(%s), {srid}), 4326)").format(srid=sql.Literal(srid))
    if isinstance(node, ast.Function) and node.name.lower() == "bbox" and len(node.arguments) in (4, 6):
        numbers = node.arguments if len(node.arguments) == 4 else [node.arguments[i] for i in (0, 1, 3, 4)]
        if not all(isinstance(n, (int, float)) for n in numbers):
            raise FilterError("filter: BBOX takes numbers: BBOX(min x, min y, max x, max y)")
        params.extend(numbers)
        return sql.SQL("ST_Transform(ST_MakeEnvelope(%s, %s, %s, %s, {srid}), 4326)").format(srid=sql.Literal(srid))
    if isinstance(node, values.Envelope):
        params.extend([node.x1, node.y1, node.x2, node.y2])
        return sql.SQL("ST_Transform(ST_MakeEnvelope(%s, %s, %s, %s, {srid}), 4326)").format(srid=sql.Literal(srid))
    return _value(node, params)


def _node(node, collection, params, srid) -> sql.Composable:
    if isinstance(node, ast.And):
        return sql.SQL("({} AND {})").format(_node(node.lhs, collection, params, srid), _node(node.rhs, collection, params, srid))
    if isinstance(node, ast.Or):
        return sql.SQL("({} OR {})").format(_node(node.lhs, collection, params, srid), _node(node.rhs, collection, params, srid))
    if isinstance(node, ast.Not):
        return sql.SQL("(NOT {})").format(_node(node.sub_node, collection, params, srid))
    if type(node) in COMPARISONS:
        return sql.SQL("({} {} {})").format(_operand(node.lhs, collection, params, srid), sql.SQL(COMPARISONS[type(node)]),
                                            _operand(node.rhs, collection, params, srid))
    if isinstance(node, ast.Like):
        operator = "NOT LIKE" if node.not_ else "LIKE"
        operator = operator.replace("LIKE", "ILIKE") if node.nocase else operator
        params.append(node.pattern)
        return sql.SQL("({} {} %s)").format(_operand(node.lhs, collection, params, srid), sql.SQL(operator))
    if isinstance(node, ast.In):
        items = [_operand(item, collection, params, srid) for item in node.sub_nodes]
        return sql.SQL("({} {} ({}))").format(_operand(node.lhs, collection, params, srid),
                                              sql.SQL("NOT IN" if node.not_ else "IN"), sql.SQL(", ").join(items))
    if isinstance(node, ast.Between):
        return sql.SQL("({} {} {} AND {})").format(
            _operand(node.lhs, collection, params, srid), sql.SQL("NOT BETWEEN" if node.not_ else "BETWEEN"),
            _operand(node.low, collection, params, srid), _operand(node.high, collection, params, srid))
    if isinstance(node, ast.IsNull):
        return sql.SQL("({} IS {}NULL)").format(_operand(node.lhs, collection, params, srid), sql.SQL("NOT " if node.not_ else ""))
    if type(node) in SPATIAL:
        return sql.SQL("{}({}, {})").format(sql.SQL(SPATIAL[type(node)]), _operand(node.lhs, collection, params, srid),
                                            _operand(node.rhs, collection, params, srid))
    raise FilterError(f"filter: {type(node).__name__} is not supported; use comparisons, LIKE, IN, BETWEEN, IS NULL, "
                      "AND/OR/NOT, S_INTERSECTS and S_WITHIN")
