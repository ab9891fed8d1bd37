"""CQL2 through /ogc/collections/{id}/items?filter=: the whole basic-cql2 grammar (nested NOT, a doubled quote
inside a text value), a depth limit that is a 400 saying so (cql2-json and cql2-text), and the case- and
accent-insensitive comparisons CASEI and ACCENTI, with Greek written without accents."""
import json

import pytest

from layers.ogc.cql import MAX_DEPTH
from layers.models import HeritageSite

pytestmark = pytest.mark.django_db
URL = "/ogc/collections/heritage-sites/items"


def found(client, text, language="cql2-text"):
    response = client.get(URL, {"filter": text, "filter-lang": language, "limit": 1000})
    assert response.status_code == 200, response.json()
    return {f["id"] for f in json.loads(b"".join(response.streaming_content))["features"]}


def refused(client, text, language="cql2-text") -> str:
    response = client.get(URL, {"filter": text, "filter-lang": language})
    assert response.status_code == 400, response.status_code
    return response.json()["description"]


def churches() -> set[str]:
    return set(HeritageSite.objects.filter(kind="church").values_list("slug", flat=True))


def test_not_not_is_the_condition_itself(client):
    assert found(client, "NOT (NOT (kind='church'))") == churches() != set()
    assert found(client, "NOT NOT kind = 'church'") == churches()


def test_a_doubled_quote_inside_a_text_value_is_one_quote(client):
    HeritageSite.objects.filter(slug="hagios-demetrios").update(name_en="St. Demetrius's")
    assert found(client, "name_en = 'St. Demetrius''s'") == {"hagios-demetrios"}


def nested_not(depth: int) -> str:
    """A cql2-json document of depth NOTs around a comparison, as text (json.dumps itself stops at ~500 levels)."""
    return '{"op": "not", "args": [' * depth + '{"op": "=", "args": [{"property": "kind"}, "church"]}' + "]}" * depth


@pytest.mark.parametrize("depth", [600, 300, MAX_DEPTH])
def test_cql2_json_nested_too_deeply_is_a_400_that_says_so(client, depth):
    message = refused(client, nested_not(depth), "cql2-json")
    assert "nested too deeply" in message and f"at most {MAX_DEPTH}" in message


def test_cql2_json_nested_beyond_what_json_reads_is_a_400_that_says_so(client):
    message = refused(client, "[" * 100_000 + "]" * 100_000, "cql2-json")
    assert "nested too deeply" in message


def test_cql2_json_at_the_depth_limit_still_works(client):
    expected = churches() if MAX_DEPTH % 2 == 1 else set(HeritageSite.objects.exclude(kind="church").values_list("slug", flat=True))
    assert found(client, nested_not(MAX_DEPTH - 1), "cql2-json") == expected


def test_cql2_text_nested_too_deeply_is_a_400_that_says_so(client):
    message = refused(client, "NOT (" * 600 + "kind='church'" + ")" * 600)
    assert "nested too deeply" in message and f"at most {MAX_DEPTH}" in message


def test_cql2_text_of_thousands_of_parentheses_is_a_clear_answer_not_a_crash(client):
    assert found(client, "(" * 3000 + "kind='church'" + ")" * 3000) == churches()
    assert "characters" in refused(client, "(" * 5000 + "kind='church'" + ")" * 5000)


def test_casei_compares_without_case(client):
    assert found(client, "CASEI(name_en) = CASEI('HAGIA SOPHIA')") == {"hagia-sophia"}
    assert found(client, "name_en = 'HAGIA SOPHIA'") == set()


def test_casei_folds_greek_final_sigma(client):
    assert found(client, "CASEI(name_el) = CASEI('ΆΓΙΟΣ ΔΗΜΉΤΡΙΟΣ')") == {"hagios-demetrios"}


def test_accenti_with_greek_written_without_accents(client):
    assert found(client, "ACCENTI(name_el) = ACCENTI('Αγια Σοφια')") == {"hagia-sophia"}
    assert found(client, "ACCENTI(CASEI(name_el)) = ACCENTI(CASEI('αγια σοφια'))") == {"hagia-sophia"}
    assert found(client, "CASEI(ACCENTI(name_el)) = 'αγια σοφια'") == {"hagia-sophia"}
    assert found(client, "name_el = 'Αγια Σοφια'") == set()


def test_accenti_removes_the_dialytika_too(client):
    HeritageSite.objects.filter(slug="roman-forum").update(name_el="Ρωμαϊκή Αγορά")
    assert found(client, "ACCENTI(name_el) = 'Ρωμαικη Αγορα'") == {"roman-forum"}


def test_casei_and_accenti_with_like(client):
    assert found(client, "ACCENTI(CASEI(name_el)) LIKE ACCENTI(CASEI('αγια%'))") == {"hagia-sophia", "hagia-aikaterini"}
    assert found(client, "CASEI(name_en) LIKE CASEI('hagia%') AND NOT ACCENTI(name_el) LIKE '%Σοφια'") == {"hagia-aikaterini"}
    assert found(client, "ACCENTI(CASEI(name_el)) NOT LIKE 'αγ%' AND kind = 'church'") == \
        churches() - set(HeritageSite.objects.filter(name_el__regex="^(Αγ|Άγ)").values_list("slug", flat=True))


def test_casei_and_accenti_in_cql2_json(client):
    document = {"op": "like", "args": [{"op": "accenti", "args": [{"op": "casei", "args": [{"property": "name_el"}]}]},
                                       {"op": "accenti", "args": [{"op": "casei", "args": ["αγια σ%"]}]}]}
    assert found(client, json.dumps(document), "cql2-json") == {"hagia-sophia"}


def test_casei_of_a_number_property_is_a_400_naming_it(client):
    assert "unesco_component" in refused(client, "CASEI(unesco_component) = 'true'")


def test_the_conformance_declares_casei_and_accenti(client):
    classes = client.get("/ogc/conformance").json()["conformsTo"]
    assert "http://www.opengis.net/spec/cql2/1.0/conf/case-insensitive-comparison" in classes
    assert "http://www.opengis.net/spec/cql2/1.0/conf/accent-insensitive-comparison" in classes
