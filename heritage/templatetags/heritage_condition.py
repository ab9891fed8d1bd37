"""The condition reports of a monument for a page: {% condition_reports_of monument as condition %} gives the reports
the signed-in user may read and their count, or None for anyone without a role in the workspace."""
from django import template

from issues.permissions import readable_departments

from ..selectors import condition_reports_for

register = template.Library()
SHOWN = 20


@register.simple_tag(takes_context=True)
def condition_reports_of(context, monument) -> dict | None:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not readable_departments(user).exists():
        return None
    reports = condition_reports_for(monument, user=user)
    return {"count": reports.count(), "reports": list(reports[:SHOWN]), "shown": SHOWN}
