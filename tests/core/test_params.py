"""The one boolean vocabulary of request parameters and bodies: each spelling, and what is refused."""
import pytest

from core.params import ParameterError, flag, parse_bool


@pytest.mark.parametrize("raw", ["true", "TRUE", "True", "1", "yes", "Yes", "on", "ON", " on ", True, 1])
def test_parse_bool_reads_each_true_spelling(raw):
    assert parse_bool(raw, parameter="public") is True


@pytest.mark.parametrize("raw", ["false", "FALSE", "False", "0", "no", "No", "off", "OFF", " off ", False, 0])
def test_parse_bool_reads_each_false_spelling(raw):
    assert parse_bool(raw, parameter="public") is False


@pytest.mark.parametrize("raw", ["y", "n", "2", "maybe", "truth", 2, 1.0, [], {}])
def test_parse_bool_refuses_anything_else_naming_the_parameter_and_the_accepted_values(raw):
    with pytest.raises(ParameterError) as refused:
        parse_bool(raw, parameter="public")
    assert refused.value.parameter == "public"
    assert str(refused.value).startswith("public: must be one of true, 1, yes, on (true) or false, 0, no, off (false), got ")


@pytest.mark.parametrize("params", [{}, {"public": ""}, {"public": "  "}, {"public": None}])
def test_flag_absent_empty_or_null_is_the_default(params):
    assert flag(params, "public") is False and flag(params, "public", default=True) is True
