"""The participation figures on the staff figures page (/staff/figures/): the roadmap's indicators as cards (totals,
each with its definition) and as a table per process, district or month, the outcome indicator per year with its
definition, with the JSON and CSV links of /api/participation/figures (demo data only when asked for, and said);
registered with the dashboard in AppConfig.ready."""
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from participation.figures import COLUMNS, DEFINITIONS, FIGURE_GROUPS, OUTCOME_DEFINITION

LABELS = {
    "initiatives": _("Participatory initiatives"),
    "participants": _("Participants"),
    "proposals": _("Proposals"),
    "comments": _("Comments"),
    "supports": _("Supports"),
    "votes": _("Votes"),
    "co_creation_participants": _("Participants in co-creation"),
    "meeting_attendees": _("Meeting attendees"),
    "municipal_projects": _("Municipal projects"),
    "participatory_municipal_projects": _("Municipal projects with participation"),
    "participatory_share": _("Share of municipal projects with participation"),
}
GROUPS = {"process": _("By process"), "district": _("By district"), "month": _("By month")}


def section_config(request) -> dict:
    return {
        "figuresUrl": reverse("participation-figures"),
        "outcomeUrl": reverse("participation-figures-outcome"),
        "outcomeDefinition": str(OUTCOME_DEFINITION),
        "columns": [{"value": name, "label": str(LABELS[name]), "definition": str(DEFINITIONS[name])}
                    for name in COLUMNS[1:]],
        "groups": [{"value": name, "label": str(GROUPS[name])} for name in FIGURE_GROUPS],
    }


def register_figures_section() -> None:
    from issues.pages.figures import FigureSection, register_figure_section

    register_figure_section(FigureSection(
        name="participation", template="participation/pages/_figures_section.html",
        scripts=("participation/figures.js",), config=section_config))
