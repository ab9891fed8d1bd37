"""The page's language and a value in it: Greek unless the request asked for English; a model's `<field>_el` or
`<field>_en`; a choices class's labels as plain strings for a page's JSON configuration."""
from django.db.models import Choices
from django.utils import translation


def page_language() -> str:
    """"en" when the request's language is English, else "el" (the site's language)."""
    return "en" if (translation.get_language() or "el").startswith("en") else "el"


def in_language(*, el, en):
    """The one of the two values in the page's language."""
    return en if page_language() == "en" else el


def localized(item, field: str):
    """`<field>_el` or `<field>_en` of a model (or of a row as a dict) in the page's language; the other language's
    when that one is empty."""
    first, second = (f"{field}_en", f"{field}_el") if page_language() == "en" else (f"{field}_el", f"{field}_en")
    read = item.get if isinstance(item, dict) else lambda name: getattr(item, name, "")
    return read(first) or read(second) or ""


def choice_labels(choices: type[Choices]) -> dict:
    """{value: label} of a choices class, its translatable labels made strings in the page's language."""
    return {value: str(label) for value, label in choices.choices}
