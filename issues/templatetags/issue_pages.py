"""Template filters of the report pages: status and close-reason labels in the page's language."""
from django import template

from issues.models import Issue
from issues.pages.labels import CLOSE_REASON_LABELS

register = template.Library()


@register.filter
def status_label(status: str) -> str:
    return Issue.Status(status).label if status in Issue.Status.values else status


@register.filter
def close_reason_label(reason: str) -> str:
    return CLOSE_REASON_LABELS.get(reason, reason)
