"""{% signed_in_nav %}: the navigation of signed-in pages (the registered pages the user may open, and sign-out)."""
from django import template

from core.page_access import signed_in_links

register = template.Library()


@register.inclusion_tag("core/signed_in_nav.html", takes_context=True)
def signed_in_nav(context):
    request = context["request"]
    return {"links": signed_in_links(request), "user": request.user, "csrf_token": context.get("csrf_token")}
