"""CQL2 (text and JSON) to SQL. cql2-text is read by the cql2 library (the Rust reference parser of the basic-cql2
grammar) into cql2-json; both languages then take one path: the JSON document, at most MAX_DEPTH operators deep,
is checked against the collection's queryables (names and types) and translated node by node into composed SQL
whose identifiers come from the collection's registry entry and whose values are bound parameters. Whatever the
text, the answer is a clause or a FilterError that says where the problem is; no text of the filter is ever
spliced into the SQL. CASEI folds case (lower, final sigma as sigma) and ACCENTI strips accents (unaccent, which
knows the Greek tonos and dialytika), so 'αγια σοφια' finds 'Αγία Σοφία'."""
import json
import math
import re
import threading
from datetime import date, datetime

import cql2
import numpy
import shapely
import shapely.errors
import shapely.geometry
import shapely.validation
from django.utils.translation import gettext, gettext_lazy
from psycopg import sql

from ..registry import Collection

from core.errors import ServiceError

COMPARISONS = {"=": "=", "<>": "<>", "<": "<", "<=": "<=", ">": ">", ">=": ">="}
SPATIAL = {"s_intersects": "ST_Intersects", "s_within": "ST_Within", "s_contains": "ST_Contains",
           "s_disjoint": "ST_Disjoint", "s_equals": "ST_Equals", "s_overlaps": "ST_Overlaps",
           "s_touches": "ST_Touches", "s_crosses": "ST_Crosses"}
NUMERIC = {"integer", "number"}
# Coordinates beyond this are no place on Earth in any CRS offered (degrees or metres).
MAX_COORDINATE = 1e8
# Operators nested deeper than this are refused (NOT NOT x is x; a filter a person writes is a few levels deep).
MAX_DEPTH = 100
# The text parser recurses natively: it reads at most MAX_TEXT characters, on a thread with a stack far larger than
# that text can need, so no filter can exhaust a worker's stack.
MAX_TEXT = 8000
PARSER_STACK_BYTES = 256 * 1024 * 1024
_PARSER_STACK_LOCK = threading.Lock()
_PEST_POSITION = re.compile(r"--> (\d+):(\d+)")


class FilterError(ServiceError):
    """The filter does not parse or names what the collection does not have; the message says where."""

    code = "invalid_filter"


def parse(text: str, language: str) -> dict:
    """The filter as a cql2-json document (a dict, or a bare boolean/property for the simplest filters)."""
    if "\x00" in text:
        raise FilterError(gettext("a NUL character at position %(position)d; remove it") % {"position": text.index(chr(0)) + 1},
                          parameter="filter")
    if language == "cql2-json":
        try:
            document = json.loads(text)
        except RecursionError:
            raise FilterError(gettext("nested too deeply at position 1; at most %(limit)d levels of operators")
                              % {"limit": MAX_DEPTH}, parameter="filter") from None
        except json.JSONDecodeError as exc:
            raise FilterError(gettext("not valid JSON at line %(line)d, column %(column)d: %(problem)s")
                              % {"line": exc.lineno, "column": exc.colno, "problem": exc.msg}, parameter="filter") from None
    else:
        if len(text) > MAX_TEXT:
            raise FilterError(gettext("%(count)d characters at position 1; a cql2-text filter may have at most %(limit)d")
                              % {"count": len(text), "limit": MAX_TEXT}, parameter="filter")
        document = _on_a_large_stack(lambda: cql2.parse_text(text).to_json())
    depth = _depth(document)
    if depth > MAX_DEPTH:
        raise FilterError(gettext("nested too deeply at position 1: operators %(depth)d levels deep, at most %(limit)d are "
                                  "allowed") % {"depth": depth, "limit": MAX_DEPTH}, parameter="filter")
    return document


def _on_a_large_stack(function):
    result = {}

    def run():
        try:
            result["value"] = function()
        except Exception as exc:  # noqa: BLE001 - handed to the caller's thread
            result["error"] = exc

    with _PARSER_STACK_LOCK:
        previous = threading.stack_size(PARSER_STACK_BYTES)
        try:
            thread = threading.Thread(target=run, name="cql2-text-parser")
            thread.start()
        finally:
            threading.stack_size(previous)
    thread.join()
    if "error" in result:
        exc = result["error"]
        found = _PEST_POSITION.search(str(exc))
        line, column = (int(found[1]), int(found[2])) if found else (1, 1)
        expected = next((part.strip(" =") for part in str(exc).splitlines() if part.strip().startswith("=")), "")
        message = gettext("cannot parse the CQL2 text at line %(line)d, column %(column)d") % {"line": line, "column": column}
        raise FilterError(f"{message}: {expected[:200]}" if expected else message, parameter="filter") from None
    return result["value"]


def _depth(document) -> int:
    """How many operators deep the document nests (counted without recursion)."""
    deepest, stack = 0, [(document, 0)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict):
            depth += "op" in node
            deepest = max(deepest, depth)
            stack.extend((value, depth) for value in node.values())
        elif isinstance(node, list):
            stack.extend((value, depth) for value in node)
    return deepest


def _first_line(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0][:200] if text else exc.__class__.__name__


def to_sql(node, collection: Collection, filter_srid: int = 4326, text: str = "") -> tuple[sql.Composable, list]:
    """A WHERE clause for the cql2-json node, and its parameters; text, when given, locates a faulty property."""
    params: list = []
    try:
        clause = _Translator(collection, params, filter_srid).condition(node)
    except PropertyError as exc:
        position = text.find(exc.name) if exc.name else -1
        raise FilterError(gettext("'%(name)s' at position %(position)d %(problem)s")
                          % {"name": exc.name, "position": max(position, 0) + 1, "problem": exc.problem}, parameter="filter") from None
    except FilterError as exc:
        raise FilterError(gettext("%(problem)s (at position 1)") % {"problem": exc.message}, parameter=exc.parameter) from None
    return clause, params


class PropertyError(FilterError):
    """A named property is unknown, or used with a value of another type."""

    def __init__(self, name: str, problem: str):
        super().__init__(f"{name} {problem}")
        self.name, self.problem = name, problem


def _op(node) -> str | None:
    return node["op"] if isinstance(node, dict) and isinstance(node.get("op"), str) else None


def _args(node, count: int | None = None) -> list:
    args = node.get("args")
    if not isinstance(args, list) or (count is not None and len(args) != count):
        if count is None:
            message = gettext("%(op)s takes a list of arguments") % {"op": node.get("op")}
        else:
            message = gettext("%(op)s takes %(count)d arguments") % {"op": node.get("op"), "count": count}
        raise FilterError(message, parameter="filter")
    return args


class _Translator:
    def __init__(self, collection: Collection, params: list, srid: int):
        self.collection, self.params, self.srid = collection, params, srid

    # --- operands: (SQL, kind, property name or None) ----------------------------------------

    def operand(self, node) -> tuple[sql.Composable, str, str | None]:
        if isinstance(node, dict):
            if isinstance(node.get("property"), str):
                return self.column(node["property"])
            if _op(node) in ("casei", "accenti"):
                return self.folded(node)
            if "bbox" in node:
                numbers = node["bbox"] if isinstance(node["bbox"], list) else []
                if len(numbers) not in (4, 6) or not all(isinstance(n, (int, float)) and not isinstance(n, bool) for n in numbers):
                    raise FilterError(gettext("BBOX takes numbers: BBOX(min x, min y, max x, max y)"), parameter="filter")
                corners = numbers if len(numbers) == 4 else [numbers[i] for i in (0, 1, 3, 4)]
                return self.envelope(*corners), "geometry", None
            if "type" in node and ("coordinates" in node or "geometries" in node):
                self.params.append(json.dumps(_checked_geometry(node)))
                return sql.SQL("ST_Transform(ST_SetSRID(ST_GeomFromGeoJSON(%s), {srid}), 4326)").format(
                    srid=sql.Literal(self.srid)), "geometry", None
            if isinstance(node.get("timestamp"), str) or isinstance(node.get("date"), str):
                return self.literal(_moment(node))
            if _op(node):
                raise FilterError(gettext("%(op)s is not supported here; use a property, a string, a number, a boolean, "
                                          "TIMESTAMP('...'), DATE('...'), a geometry, CASEI(...) or ACCENTI(...)")
                                  % {"op": node["op"]}, parameter="filter")
        return self.literal(node)

    def folded(self, node) -> tuple[sql.Composable, str, str | None]:
        """CASEI(x): lower case, final sigma as sigma; ACCENTI(x): without accents (unaccent)."""
        (inner,) = _args(node, 1)
        value, kind, name = self.operand(inner)
        if kind != "string" and name:
            raise PropertyError(name, gettext("is %(kind)s; %(op)s works on text") % {"kind": _a(kind), "op": node["op"].upper()})
        if kind != "string":
            raise FilterError(gettext("%(op)s works on text") % {"op": node["op"].upper()}, parameter="filter")
        if node["op"] == "accenti":
            return sql.SQL("unaccent({})").format(value), kind, name
        self.params.extend(["ς", "σ"])
        return sql.SQL("translate(lower({}), %s, %s)").format(value), kind, name

    def column(self, name: str):
        collection = self.collection
        if name in collection.properties:
            return sql.Identifier(name), collection.properties[name], name
        if name == collection.id_column:
            return sql.Identifier(name), "integer" if collection.integer_ids else "string", name
        if name in ("geometry", collection.geometry_column):
            return sql.Identifier(collection.geometry_column), "geometry", name
        known = ", ".join(sorted([*collection.properties, "geometry"]))
        raise PropertyError(name, gettext("is not a queryable of %(collection)s; the queryables are: %(known)s")
                            % {"collection": collection.id, "known": known})

    def envelope(self, x1, y1, x2, y2) -> sql.Composable:
        numbers = [float(n) for n in (x1, y1, x2, y2)]
        if not all(math.isfinite(n) and abs(n) <= MAX_COORDINATE for n in numbers):
            raise FilterError(gettext("BBOX needs finite coordinates"), parameter="filter")
        if numbers[0] > numbers[2] or numbers[1] > numbers[3]:
            raise FilterError(gettext("BBOX takes the lower corner first: BBOX(min x, min y, max x, max y)"), parameter="filter")
        self.params.extend(numbers)
        return sql.SQL("ST_Transform(ST_MakeEnvelope(%s, %s, %s, %s, {srid}), 4326)").format(srid=sql.Literal(self.srid))

    def literal(self, value) -> tuple[sql.Composable, str, None]:
        if isinstance(value, bool):
            kind = "boolean"
        elif isinstance(value, int):
            kind = "integer"
        elif isinstance(value, float):
            if not math.isfinite(value):
                raise FilterError(gettext("numbers must be finite"), parameter="filter")
            kind = "number"
        elif isinstance(value, str):
            if "\x00" in value:
                raise FilterError(gettext("a text value holds a NUL character"), parameter="filter")
            kind = "string"
        elif isinstance(value, (datetime, date)):
            kind = "datetime"
        else:
            raise FilterError(gettext("%(type)s values are not supported here; use a property, a string, a number, a boolean, "
                                      "TIMESTAMP('...') or a geometry") % {"type": type(value).__name__}, parameter="filter")
        self.params.append(value)
        return sql.SQL("%s"), kind, None

    # --- conditions ---------------------------------------------------------------------------

    def condition(self, node) -> sql.Composable:
        op = _op(node)
        if isinstance(node, bool):
            return sql.SQL("TRUE" if node else "FALSE")
        if op in ("and", "or"):
            parts = [self.condition(arg) for arg in _args(node)]
            if not parts:
                raise FilterError(gettext("%(op)s needs conditions") % {"op": op.upper()}, parameter="filter")
            return sql.SQL("({})").format(sql.SQL(f" {op.upper()} ").join(parts))
        if op == "not":
            (sub,) = _args(node, 1)
            return sql.SQL("(NOT {})").format(self.condition(sub))
        if op in COMPARISONS:
            (left, left_kind, left_name), (right, right_kind, right_name) = (self.operand(a) for a in _args(node, 2))
            if left_name is None and right_name is None:
                raise FilterError(gettext("a comparison needs a property on one side"), parameter="filter")
            if "geometry" in (left_kind, right_kind):
                raise PropertyError(left_name or right_name, gettext("is compared as a geometry: use S_INTERSECTS or S_WITHIN"))
            _same_kind(left_name or right_name, left_kind, right_kind)
            return sql.SQL("({} {} {})").format(left, sql.SQL(COMPARISONS[op]), right)
        if op == "like":
            subject, pattern = _args(node, 2)
            left, kind, name = self.property_operand(subject, "LIKE")
            if kind != "string":
                raise PropertyError(name, gettext("is %(kind)s; LIKE works on text") % {"kind": _a(kind)})
            right, pattern_kind, _ = self.operand(pattern)
            if pattern_kind != "string":
                raise FilterError(gettext("LIKE needs a text pattern"), parameter="filter")
            return sql.SQL("({} LIKE {})").format(left, right)
        if op == "in":
            subject, values = _args(node, 2)
            left, kind, name = self.property_operand(subject, "IN")
            if not isinstance(values, list) or not values:
                raise FilterError(gettext("IN needs a list of at least one value"), parameter="filter")
            items = []
            for item in values:
                item_sql, item_kind, _ = self.operand(item)
                _same_kind(name, kind, item_kind)
                items.append(item_sql)
            return sql.SQL("({} IN ({}))").format(left, sql.SQL(", ").join(items))
        if op == "between":
            subject, low, high = _args(node, 3)
            left, kind, name = self.property_operand(subject, "BETWEEN")
            (low_sql, low_kind, _), (high_sql, high_kind, _) = self.operand(low), self.operand(high)
            _same_kind(name, kind, low_kind)
            _same_kind(name, kind, high_kind)
            return sql.SQL("({} BETWEEN {} AND {})").format(left, low_sql, high_sql)
        if op == "isNull":
            (subject,) = _args(node, 1)
            left, _, _ = self.property_operand(subject, "IS NULL")
            return sql.SQL("({} IS NULL)").format(left)
        if op in SPATIAL:
            (left, left_kind, left_name), (right, right_kind, right_name) = (self.operand(a) for a in _args(node, 2))
            for name, kind in ((left_name, left_kind), (right_name, right_kind)):
                if kind != "geometry":
                    if name:
                        raise PropertyError(name, gettext("is %(kind)s; spatial functions take geometries") % {"kind": _a(kind)})
                    raise FilterError(gettext("spatial functions take geometries (a geometry property, POINT(...), BBOX(...))"),
                                      parameter="filter")
            return sql.SQL("{}({}, {})").format(sql.SQL(SPATIAL[op]), left, right)
        if isinstance(node, dict) and isinstance(node.get("property"), str):
            column, kind, name = self.column(node["property"])
            if kind != "boolean":
                raise PropertyError(name, gettext("is %(kind)s; on its own a property must be a boolean") % {"kind": _a(kind)})
            return sql.SQL("({})").format(column)
        described = op or type(node).__name__
        raise FilterError(gettext("%(op)s is not supported; use comparisons, LIKE, IN, BETWEEN, IS NULL, AND/OR/NOT, CASEI, "
                                  "ACCENTI and the spatial functions S_INTERSECTS, S_WITHIN, S_CONTAINS, S_DISJOINT, "
                                  "S_EQUALS, S_OVERLAPS, S_TOUCHES, S_CROSSES") % {"op": described}, parameter="filter")

    def property_operand(self, node, operator: str):
        if not (isinstance(node, dict) and (isinstance(node.get("property"), str) or _op(node) in ("casei", "accenti"))):
            raise FilterError(gettext("%(op)s needs a property on its left") % {"op": operator}, parameter="filter")
        value, kind, name = self.operand(node)
        if name is None:
            raise FilterError(gettext("%(op)s needs a property on its left") % {"op": operator}, parameter="filter")
        return value, kind, name


def _moment(node: dict) -> date | datetime:
    text = node.get("timestamp") or node.get("date")
    try:
        if "timestamp" in node:
            return datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
        return date.fromisoformat(text)
    except ValueError:
        raise FilterError(gettext("%(value)r is not a moment; write TIMESTAMP('2026-01-01T00:00:00Z') or DATE('2026-01-01')")
                          % {"value": text[:40]}, parameter="filter") from None


def _same_kind(name: str | None, kind: str, other: str) -> None:
    if kind == other or (kind in NUMERIC and other in NUMERIC):
        return
    if "datetime" in (kind, other):
        problem = gettext("is %(kind)s, compared with %(other)s (write a moment as TIMESTAMP('2026-01-01T00:00:00Z'))")
    else:
        problem = gettext("is %(kind)s, compared with %(other)s")
    raise PropertyError(name or "?", problem % {"kind": _a(kind), "other": _a(other)})


# A property's or a value's kind, as a message names it ("is a string")
KIND_NAMES = {"string": gettext_lazy("a string"), "integer": gettext_lazy("an integer"),
              "number": gettext_lazy("a number"), "boolean": gettext_lazy("a boolean"),
              "datetime": gettext_lazy("a datetime"), "geometry": gettext_lazy("a geometry")}


def _a(kind: str) -> str:
    return str(KIND_NAMES.get(kind) or (("an " if kind[0] in "aeiou" else "a ") + kind))


def _checked_geometry(geometry: dict) -> dict:
    """A geometry literal that is valid, with finite coordinates; PostGIS would fail on anything else."""
    try:
        shape = shapely.geometry.shape(geometry)
        coordinates = shapely.get_coordinates(shape)
    except (shapely.errors.ShapelyError, ValueError, TypeError, KeyError, IndexError, AttributeError) as exc:
        raise FilterError(gettext("the geometry cannot be read: %(problem)s") % {"problem": _first_line(exc)}, parameter="filter") from None
    if not (numpy.isfinite(coordinates).all() and (abs(coordinates) <= MAX_COORDINATE).all()):
        raise FilterError(gettext("the geometry needs finite coordinates"), parameter="filter")
    if not shape.is_valid:
        raise FilterError(gettext("the geometry is invalid: %(problem)s") % {"problem": shapely.validation.explain_validity(shape)},
                          parameter="filter")
    return geometry
