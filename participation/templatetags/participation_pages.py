"""Template filters of the participation pages: a dictionary's item, and euros written the page's way."""
from django import template

from core.i18n import page_language

register = template.Library()


@register.filter
def get_item(mapping, key):
    return mapping.get(key, "") if mapping else ""


@register.filter
def euros(amount) -> str:
    """12500 → "12.500 €" in Greek, "€12,500" in English."""
    if amount is None or amount == "":
        return ""
    whole = f"{int(amount):,}"
    if page_language() == "en":
        return f"€{whole}"
    return whole.replace(",", ".") + "\u00a0€"
