"""What the pages call each action and a close reason in a sentence, in the page's language (templates and scripts
alike; scripts get them in the page configuration). Statuses, priorities, close reasons as a choice and history
kinds are named by the models' choices."""
from django.utils.translation import gettext_lazy as _

from issues.services.lifecycle import ACTIONS
from issues.services.lifecycle import TRANSITIONS

CLOSE_REASON_LABELS = {
    "duplicate": _("a duplicate of another report"),
    "not_municipal_responsibility": _("not the municipality's responsibility"),
    "no_further_action": _("no further action"),
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


def choices(labels) -> list[dict]:
    """[{value, label}] of a {value: label} mapping or of (value, label) pairs, for a page's JSON configuration."""
    pairs = labels.items() if isinstance(labels, dict) else labels
    return [{"value": value, "label": str(label)} for value, label in pairs]


def moves_by_status() -> dict[str, list[str]]:
    """For each state, the actions that move an issue out of it (from the transition table)."""
    action_for = {target: action for action, target in ACTIONS.items() if target}
    return {status: [action_for[target] for target in targets] for status, targets in TRANSITIONS.items()}
