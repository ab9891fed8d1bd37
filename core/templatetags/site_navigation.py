"""{% site_navigation as nav %}: the links the apps registered for the site's header and footer (core.navigation)."""
from django import template

from core.navigation import site_navigation as registered_navigation

register = template.Library()


@register.simple_tag
def site_navigation() -> dict:
    return registered_navigation()
