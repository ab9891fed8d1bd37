"""Property-based tests (hypothesis) of what parses request parameters: coordinates, numbers, moments, boxes
and CQL2 filters. Whatever the text, the answer is a value in range or an error naming the parameter;
a CQL2 filter never reaches SQL as text, and never gives a 5xx."""
import json
import math
import re
from datetime import timezone

import pytest
from django.db import connection
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from core.params import (
    EARLIEST_YEAR, LATEST_YEAR, ParameterError, parse_bbox, parse_coordinate, parse_datetime, parse_int, point_from_params,
)
from layers.models import HeritageSite
from layers import registry
from layers.ogc.cql import FilterError, parse, to_sql

PROPERTIES = settings(max_examples=300, deadline=None, derandomize=True, database=None)
HTTP_PROPERTIES = settings(max_examples=120, deadline=None, derandomize=True, database=None,
                           suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

# Text as clients send it: numbers written many ways, and anything at all.
number_text = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.integers(min_value=-10**30, max_value=10**30).map(str),
    st.decimals(allow_nan=False, allow_infinity=False, places=8).map(str),
    st.sampled_from(["", " ", "1e309", "-0", "0x10", "1_000", "١٢", "NaN", "inf", "+5", "5.", ".5", "1,5", "40.6 "]),
    st.text(max_size=40),
)


# --- coordinates and numbers -----------------------------------------------------------------


@PROPERTIES
@given(raw=number_text, low=st.floats(-1000, 0), span=st.floats(0, 2000))
def test_parse_coordinate_gives_a_finite_number_in_range_or_names_the_parameter(raw, low, span):
    high = low + span
    try:
        value = parse_coordinate(raw, parameter="lat", low=low, high=high)
    except ParameterError as exc:
        assert str(exc).startswith("lat: ") and exc.parameter == "lat"
    else:
        assert math.isfinite(value) and low <= value <= high


@PROPERTIES
@given(value=st.floats(-180, 180))
def test_parse_coordinate_reads_back_any_number_it_accepts(value):
    assert parse_coordinate(repr(value), parameter="lon", low=-180, high=180) == value


@PROPERTIES
@given(lat=number_text, lon=number_text, lon_name=st.sampled_from(["lon", "long", "lng"]))
def test_point_from_params_is_a_point_on_earth_or_an_error(lat, lon, lon_name):
    try:
        point = point_from_params({"lat": lat, lon_name: lon})
    except ParameterError as exc:
        assert exc.parameter in ("lat", lon_name)
    else:
        assert -180 <= point.x <= 180 and -90 <= point.y <= 90 and point.srid == 4326


@PROPERTIES
@given(raw=number_text)
def test_parse_int_gives_a_whole_number_in_range_or_an_error(raw):
    try:
        value = parse_int(raw, parameter="page", low=1, high=1000)
    except ParameterError as exc:
        assert str(exc).startswith("page: ")
    else:
        assert isinstance(value, int) and 1 <= value <= 1000


@PROPERTIES
@given(raw=st.one_of(st.datetimes().map(lambda d: d.isoformat()), st.datetimes(timezones=st.timezones()).map(
    lambda d: d.isoformat()), st.dates().map(str), st.text(max_size=40)))
def test_parse_datetime_gives_a_utc_moment_postgresql_can_store_or_an_error(raw):
    try:
        value = parse_datetime(raw, parameter="created_from")
    except ParameterError as exc:
        assert str(exc).startswith("created_from: must be ")
    else:
        assert value.tzinfo == timezone.utc and EARLIEST_YEAR <= value.year <= LATEST_YEAR


# --- bbox ------------------------------------------------------------------------------------


@PROPERTIES
@given(raw=st.one_of(st.lists(number_text, min_size=0, max_size=7).map(",".join), st.text(max_size=60)))
def test_parse_bbox_gives_an_ordered_box_on_earth_or_an_error(raw):
    try:
        box = parse_bbox(raw)
    except ParameterError as exc:
        assert str(exc).startswith("bbox: ")
    else:
        min_lon, min_lat, max_lon, max_lat = box.extent
        assert -180 <= min_lon <= max_lon <= 180 and -90 <= min_lat <= max_lat <= 90 and box.srid == 4326


@PROPERTIES
@given(lons=st.lists(st.floats(-180, 180), min_size=2, max_size=2), lats=st.lists(st.floats(-90, 90), min_size=2, max_size=2))
def test_parse_bbox_reads_back_any_box_it_accepts(lons, lats):
    min_lon, max_lon = sorted(lons)
    min_lat, max_lat = sorted(lats)
    box = parse_bbox(",".join(repr(v) for v in (min_lon, min_lat, max_lon, max_lat)))
    assert box.extent == (min_lon, min_lat, max_lon, max_lat)


# --- CQL2 ------------------------------------------------------------------------------------

SQL_WORDS = {"AND", "OR", "NOT", "LIKE", "ILIKE", "IN", "BETWEEN", "IS", "NULL", "TRUE", "FALSE", "lower", "translate",
             "unaccent", "ST_Intersects", "ST_Within", "ST_Contains", "ST_Disjoint", "ST_Equals", "ST_Overlaps",
             "ST_Touches", "ST_Crosses",
             "ST_Transform", "ST_SetSRID", "ST_GeomFromGeoJSON", "ST_MakeEnvelope"}
POSITION = re.compile(r"at (line \d+, column \d+|position \d+)")


def assert_only_bound_values(clause, collection):
    """Whatever the filter said, the SQL holds only the collection's own column names, SQL words, SRIDs
    and %s placeholders: every value the filter carried is a bound parameter."""
    text = clause.as_string(connection.connection)
    columns = {*collection.properties, collection.id_column, collection.geometry_column}
    for quoted in re.findall(r'"([^"]*)"', text):
        assert quoted in columns, f"identifier {quoted!r} in {text}"
    bare = re.sub(r'"[^"]*"', " ", text).replace("%s", " ")
    for word in re.findall(r"[A-Za-z_]+", bare):
        assert word in SQL_WORDS, f"{word!r} reached the SQL: {text}"
    assert re.fullmatch(r"[A-Za-z_0-9 (),<>=\-]*", bare), text


cql_words = st.sampled_from([
    "name_en", "kind", "slug", "unesco_component", "geometry", "colour", "=", "<>", "<", ">=", "AND", "OR", "NOT", "LIKE",
    "IN", "BETWEEN", "IS", "NULL", "(", ")", ",", "'museum'", "'x'';DROP TABLE layers_district;--'", "1", "2.5", "true",
    "S_INTERSECTS", "S_WITHIN", "POINT(22.9 40.6)", "BBOX(22,40,23,41)", "TIMESTAMP('2026-01-01T00:00:00Z')", '"name_en"',
    "CASEI", "DATE('2020-01-01')", "%", "--", ";", "\\", "UNION SELECT", "pg_sleep(10)",
])
cql_text = st.one_of(st.lists(cql_words, max_size=12).map(" ".join), st.text(max_size=80))


@PROPERTIES
@given(text=cql_text, language=st.sampled_from(["cql2-text", "cql2-json"]))
def test_cql2_any_text_is_a_clause_of_bound_values_or_an_error_with_a_position(text, language):
    collection = registry.get("heritage-sites")
    try:
        clause, params = to_sql(parse(text, language), collection, text=text)
    except FilterError as exc:
        assert str(exc).startswith("filter: ") and POSITION.search(str(exc)), str(exc)
    else:
        assert_only_bound_values(clause, collection)
        assert all(not isinstance(p, str) or "\x00" not in p for p in params)


@pytest.mark.django_db
@HTTP_PROPERTIES
@given(text=cql_text)
def test_cql2_any_filter_over_http_is_200_or_a_400_with_a_position(client, text):
    response = client.get("/ogc/collections/heritage-sites/items", {"filter": text})
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert response.status_code in (200, 400), body[:300]
    if response.status_code == 400:
        assert POSITION.search(response.json()["description"]) or "NUL" in response.json()["description"]


@pytest.mark.django_db
@HTTP_PROPERTIES
@given(value=st.text(max_size=30), language=st.sampled_from(["cql2-text", "cql2-json"]))
def test_cql2_equality_on_any_text_finds_exactly_the_rows_with_that_text(client, value, language):
    assume("\x00" not in value)
    quoted = value.replace("'", "''")  # cql2-text writes a quote inside a text value twice
    text = f"name_en = '{quoted}'" if language == "cql2-text" else json.dumps({"op": "=", "args": [{"property": "name_en"}, value]})
    response = client.get("/ogc/collections/heritage-sites/items", {"filter": text, "filter-lang": language, "limit": 1000})
    assert response.status_code == 200
    body = json.loads(b"".join(response.streaming_content))
    assert body["numberMatched"] == HeritageSite.objects.filter(name_en=value).count()


@pytest.mark.django_db
def test_cql2_text_value_with_a_doubled_quote_reads_as_one_quote(client):
    HeritageSite.objects.filter(slug="hagia-sophia").update(name_en="Saint Demetrius's")
    response = client.get("/ogc/collections/heritage-sites/items", {"filter": "name_en = 'Saint Demetrius''s'"})
    assert response.status_code == 200
    assert [f["id"] for f in json.loads(b"".join(response.streaming_content))["features"]] == ["hagia-sophia"]
