"""The participation figures on the staff figures page (/staff/figures/): a section of cards for the roadmap's
figures, per process or all, with the JSON and CSV links; registered with the dashboard in AppConfig.ready."""
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from participation.figures import FIGURES

LABELS = {
    "initiatives": _("Participatory initiatives"),
    "participants": _("Participants"),
    "proposals": _("Proposals published"),
    "comments": _("Comments"),
    "supports": _("Supports"),
    "votes": _("Votes (ballots cast)"),
    "co_creation_participants": _("Participants in co-creation"),
    "municipal_projects": _("Municipal projects"),
    "municipal_projects_with_participation": _("Municipal projects with participation"),
    "share_municipal_projects_with_participation": _("Share of municipal projects with participation"),
}


def section_config(request) -> dict:
    from participation.models import Process

    lang_en = request.LANGUAGE_CODE == "en"
    return {
        "figuresUrl": reverse("participation-api-figures"),
        "figures": [{"value": name, "label": str(LABELS[name])} for name in FIGURES],
        "processes": [{"value": p.slug, "label": p.title_en if lang_en else p.title_el}
                      for p in Process.objects.filter(published=True).order_by("-created_at")],
    }


def register_figures_section() -> None:
    from issues.pages.figures import FigureSection, register_figure_section

    register_figure_section(FigureSection(
        name="participation", template="participation/pages/_figures_section.html",
        scripts=("participation/figures.js",), config=section_config))
