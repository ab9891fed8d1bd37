"""Departments, categories and routing rules: the demo catalogue, rule precedence, and bad catalogues refused."""
import json
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from issues.attributes import validate_attribute_definitions
from issues.models import Category, Department, RoutingRule
from issues.selectors import routing_rule_for
from issues.services.catalogue import CatalogueError, catalogue_load
from layers.models import District

pytestmark = pytest.mark.django_db


def catalogue_snapshot():
    return (
        sorted(Department.objects.values_list("slug", "name_en", "email")),
        sorted(Category.objects.values_list("service_code", "name_en", "target_days")),
        sorted(RoutingRule.objects.values_list("pk", "department_id")),
    )


def test_demo_catalogue_has_departments_and_grouped_bilingual_categories():
    assert Department.objects.count() >= 12
    categories = list(Category.objects.all())
    assert len(categories) >= 20
    assert len({c.group_en for c in categories}) >= 6
    assert all(c.name_el and c.name_en and c.group_el and c.group_en for c in categories)
    for slug in ["waste-cleaning", "street-lighting", "roads-pavements", "parks-trees", "drainage",
                 "traffic-signs", "municipal-buildings", "animal-welfare", "civil-protection", "citizen-service"]:
        assert Department.objects.filter(slug=slug).exists(), slug


def test_every_category_in_every_district_reaches_a_department():
    districts = [None, *District.objects.all()]
    for category in [None, *Category.objects.all()]:
        for district in districts:
            rule = routing_rule_for(category=category, district=district)
            assert rule is not None and rule.department.active, (category, district)


def test_routing_prefers_category_in_district_then_category_then_fallback():
    bulky = Category.objects.get(service_code="bulky-waste")
    toumba = District.objects.get(code="D4")
    assert routing_rule_for(category=bulky, district=toumba).department.slug == "cleaning-d4"
    pothole = Category.objects.get(service_code="pothole")
    assert routing_rule_for(category=pothole, district=toumba).department.slug == "roads-pavements"
    other = Category.objects.get(service_code="other")
    fallback = routing_rule_for(category=other, district=toumba)
    assert fallback.department.slug == "citizen-service"
    assert fallback.category is None and fallback.district is None


def test_routing_rule_scope_is_unique_even_for_the_fallback():
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        RoutingRule.objects.create(category=None, district=None, department=Department.objects.first())


def test_catalogue_rule_naming_an_unknown_department_is_refused_and_writes_nothing():
    before = catalogue_snapshot()
    data = {
        "departments": [{"slug": "new-dept", "name_el": "Νέο", "name_en": "New"}],
        "routing_rules": [{"category": "pothole", "district": None, "department": "no-such-dept"}],
    }
    with pytest.raises(CatalogueError, match="department 'no-such-dept' does not exist"):
        catalogue_load(data=data, commit=True)
    assert catalogue_snapshot() == before


def test_catalogue_category_with_bad_attributes_is_refused():
    data = {"categories": [{
        "service_code": "broken", "name_el": "Χ", "name_en": "X", "group_el": "Γ", "group_en": "G",
        "attributes": [{"code": "size", "datatype": "colour", "description": "d"}],
    }]}
    with pytest.raises(CatalogueError, match="categories entry 'broken': attributes: .*datatype must be one of"):
        catalogue_load(data=data, commit=True)
    assert not Category.objects.filter(service_code="broken").exists()


def test_catalogue_unknown_field_is_refused():
    with pytest.raises(CatalogueError, match="unknown fields: colour"):
        catalogue_load(data={"departments": [{"slug": "x", "name_el": "Χ", "name_en": "X", "colour": "red"}]})


def test_catalogue_dry_run_writes_nothing():
    before = catalogue_snapshot()
    report = catalogue_load(data={"departments": [{"slug": "new-dept", "name_el": "Νέο", "name_en": "New"}]})
    assert report.counts["departments"]["created"] == 1
    assert catalogue_snapshot() == before


def test_issues_load_demo_twice_changes_nothing():
    out = StringIO()
    call_command("issues_load_demo", "--commit", stdout=out)
    assert "0 created, 0 updated" in out.getvalue()


def test_issues_load_demo_refuses_broken_json(tmp_path):
    path = tmp_path / "catalogue.json"
    path.write_text("{ not json")
    with pytest.raises(CommandError, match="not valid JSON"):
        call_command("issues_load_demo", "--file", str(path), "--commit")


@pytest.mark.parametrize(
    "attributes, message",
    [
        ({"code": "x"}, "must be a list"),
        ([{"datatype": "string", "description": "d"}], "needs a non-empty string 'code'"),
        ([{"code": "a", "datatype": "string", "description": "d"}] * 2, "appears twice"),
        ([{"code": "a", "datatype": "singlevaluelist", "description": "d"}], "needs a non-empty 'values' list"),
        ([{"code": "a", "datatype": "string", "description": "d", "required": "yes"}], "'required' must be true or false"),
        ([{"code": "a", "datatype": "string"}], "needs a 'description'"),
    ],
)
def test_attribute_definitions_are_checked(attributes, message):
    with pytest.raises(ValidationError, match=message):
        validate_attribute_definitions(attributes)


def test_demo_attribute_definitions_are_valid():
    for category in Category.objects.exclude(attributes=[]):
        validate_attribute_definitions(category.attributes)


def test_categories_api_lists_groups_and_attributes(client, django_assert_max_num_queries):
    client.get("/healthz")  # a connection's first request sets its statement timeout (core/time_budgets.py) once
    with django_assert_max_num_queries(1):
        body = client.get("/api/categories/").json()
    bulky = next(c for c in body if c["service_code"] == "bulky-waste")
    assert bulky["group_en"] == "Cleaning and waste"
    assert bulky["attributes"][0]["code"] == "item_type"
    assert "furniture" in bulky["keywords"]
    assert client.get("/api/categories/no-such/").status_code == 404


def test_routing_rules_api_shows_scopes(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        rules = client.get("/api/routing-rules/").json()
    assert {"category": None, "district": None, "department": "citizen-service",
            "note": "fallback: no report is left without a department"} in rules
    assert json.dumps(rules).count("cleaning-d") == 24
