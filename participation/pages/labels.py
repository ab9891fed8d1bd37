"""Names of process kinds, phases, proposal states and ballot rules in the page's language (templates and scripts)."""
from django.utils.translation import gettext_lazy as _

PROCESS_KINDS = {
    "participatory_budgeting": _("Participatory budget"),
    "urban_planning": _("Urban-planning consultation"),
    "strategic_planning": _("Strategic planning"),
    "co_creation": _("Co-creation"),
}

PHASES = {
    "information": _("Information"),
    "proposals": _("Proposals"),
    "supports": _("Supports"),
    "evaluation": _("Evaluation"),
    "voting": _("Voting"),
    "results": _("Results"),
    "implementation": _("Implementation"),
}

STATES = {
    "draft": _("Draft"),
    "published": _("Published"),
    "qualified": _("Qualified (enough supports)"),
    "accepted": _("Accepted"),
    "rejected": _("Rejected"),
    "evaluated": _("Evaluated"),
    "selected": _("Selected by the vote"),
    "in_progress": _("In progress"),
    "done": _("Done"),
    "withdrawn": _("Withdrawn"),
}

GEOMETRY_KINDS = {"point": _("A point"), "line": _("A line"), "polygon": _("An area"), "none": _("The whole city")}


def labels(mapping: dict) -> dict:
    """The mapping with its lazy texts made strings, for a page configuration (JSON)."""
    return {key: str(value) for key, value in mapping.items()}


def label(mapping: dict, key: str) -> str:
    return str(mapping.get(key, key))
