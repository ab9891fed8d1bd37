"""The page's language and the values in it: Greek unless English was asked, a model's or a row's `_el`/`_en`
field, the other language's when that one is empty, and choice labels translated."""
from types import SimpleNamespace

from django.utils import translation

from core.i18n import choice_labels, in_language, localized, page_language
from issues.models import Issue


def test_the_page_language_is_greek_unless_english_was_asked():
    with translation.override("en-gb"):
        assert page_language() == "en" and in_language(el="Ναι", en="Yes") == "Yes"
    with translation.override("el"):
        assert page_language() == "el" and in_language(el="Ναι", en="Yes") == "Ναι"
    with translation.override(None):
        assert page_language() == "el"


def test_a_value_in_the_page_language_falls_back_to_the_other_when_empty():
    district = SimpleNamespace(name_el="Κέντρο", name_en="")
    row = {"name_el": "Κέντρο", "name_en": "Centre"}
    with translation.override("en"):
        assert localized(district, "name") == "Κέντρο" and localized(row, "name") == "Centre"
    with translation.override("el"):
        assert localized(row, "name") == "Κέντρο"


def test_choice_labels_are_translated_strings():
    with translation.override("el"):
        labels = choice_labels(Issue.Status)
    assert list(labels) == list(Issue.Status.values) and all(type(label) is str for label in labels.values())
    assert labels["new"] != "New"  # Greek
