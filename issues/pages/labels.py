"""What the pages call each status, priority, close reason, action and history entry, in the page's
language (templates and scripts alike; scripts get them in the page configuration)."""
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from issues.services.lifecycle import ACTIONS
from issues.services.lifecycle import TRANSITIONS

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


PRIORITIES = {4: pgettext_lazy("priority", "Urgent"), 3: pgettext_lazy("priority", "High"),
              2: pgettext_lazy("priority", "Normal"), 1: pgettext_lazy("priority", "Low")}
# the close reasons as the staff's choice list names them (CLOSE_REASON_LABELS reads in a sentence)
CLOSE_REASON_CHOICES = {
    "no_further_action": _("No further action"),
    "not_municipal_responsibility": _("Not the municipality's responsibility"),
    "duplicate": _("Duplicate"),
}
ACTION_NAMES = {
    "acknowledge": _("Acknowledge"),
    "start": _("Start work"),
    "resolve": _("Resolve"),
    "close": _("Close"),
    "reopen": _("Reopen"),
    "reassign": _("Reassign"),
    "duplicate": _("Mark as duplicate"),
    "public_update": _("Public update"),
    "internal_note": _("Internal note"),
}
HISTORY_KINDS = {
    "status": _("Status"),
    "comment": _("Comment"),
    "note": _("Note"),
    "routing": _("Routing"),
    "reassign": _("Reassigned"),
    "duplicate": _("Duplicate"),
}


def choices(labels: dict) -> list[dict]:
    return [{"value": value, "label": str(label)} for value, label in labels.items()]


def moves_by_status() -> dict[str, list[str]]:
    """For each state, the actions that move an issue out of it (from the transition table)."""
    action_for = {target: action for action, target in ACTIONS.items() if target}
    return {status: [action_for[target] for target in targets] for status, targets in TRANSITIONS.items()}
