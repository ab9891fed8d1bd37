"""The participation figures on the staff figures page (/staff/figures/): the roadmap's indicators as cards (totals)
and as a table per process, district or month, with the JSON and CSV links of /api/participation/figures;
registered with the dashboard in AppConfig.ready."""
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from participation.figures import COLUMNS, FIGURE_GROUPS

LABELS = {
    "initiatives": _("Participatory initiatives"),
    "participants": _("Participants"),
    "proposals": _("Proposals"),
    "comments": _("Comments"),
    "supports": _("Supports"),
    "votes": _("Votes"),
    "co_creation_participants": _("Participants in co-creation"),
    "municipal_projects": _("Municipal projects"),
    "participatory_municipal_projects": _("Municipal projects with participation"),
    "participatory_share": _("Share of municipal projects with participation"),
}
GROUPS = {"process": _("By process"), "district": _("By district"), "month": _("By month")}


def section_config(request) -> dict:
    return {
        "figuresUrl": reverse("participation-figures"),
        "columns": [{"value": name, "label": str(LABELS[name])} for name in COLUMNS[1:]],
        "groups": [{"value": name, "label": str(GROUPS[name])} for name in FIGURE_GROUPS],
    }


def register_figures_section() -> None:
    from issues.pages.figures import FigureSection, register_figure_section

    register_figure_section(FigureSection(
        name="participation", template="participation/pages/_figures_section.html",
        scripts=("participation/figures.js",), config=section_config))
