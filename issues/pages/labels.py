"""What the pages call each status and close reason, in the page's language (templates and scripts alike)."""
from django.utils.translation import gettext_lazy as _

STATUS_LABELS = {
    "new": _("New"),
    "acknowledged": _("Acknowledged"),
    "in_progress": _("In progress"),
    "resolved": _("Resolved"),
    "closed": _("Closed"),
    "reopened": _("Reopened"),
}

CLOSE_REASON_LABELS = {
    "duplicate": _("a duplicate of another report"),
    "not_municipal_responsibility": _("not the municipality's responsibility"),
    "no_further_action": _("no further action"),
}


def status_labels() -> dict[str, str]:
    """The labels as plain strings, for a page's JSON configuration."""
    return {status: str(label) for status, label in STATUS_LABELS.items()}
