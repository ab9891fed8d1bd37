"""Request bodies read by serializers: the first field at fault named in the API's one 400, and the body fields
reading booleans and geometries as the query parameters do."""
import pytest
from django.utils import translation
from rest_framework import serializers

from core.bodies import FlagField, GeometryField, validated
from core.params import ParameterError


class Ballot(serializers.Serializer):
    projects = serializers.ListField(child=serializers.IntegerField())
    public = FlagField(required=False, default=True)
    area = GeometryField(types=("Polygon",), required=False, allow_null=True)


def refusal(data) -> ParameterError:
    with pytest.raises(ParameterError) as refused, translation.override("en"):
        validated(Ballot(data=data))
    return refused.value


def test_a_missing_field_is_named():
    assert str(refusal({})) == "projects: is required"


def test_an_item_of_a_list_is_named_with_its_position():
    assert str(refusal({"projects": [1, "x", 3]})) == "projects.1: A valid integer is required."


@pytest.mark.parametrize("public, expected", [("on", True), ("OFF", False), ("yes", True), ("0", False), (None, True), ("", True)])
def test_a_boolean_field_reads_the_one_vocabulary_and_null_or_empty_as_the_default(public, expected):
    assert validated(Ballot(data={"projects": [], "public": public}))["public"] is expected


def test_a_boolean_field_refuses_another_word_listing_the_accepted_ones():
    assert str(refusal({"projects": [], "public": "maybe"})).startswith("public: must be one of true, 1, yes, on (true)")


def test_a_geometry_field_refuses_a_wrong_type_naming_the_field():
    refused = refusal({"projects": [], "area": {"type": "Point", "coordinates": [22.94, 40.63]}})
    assert str(refused) == "area: a Point is not accepted; send one of Polygon"
