"""Sections an app adds to another app's printable report without that app knowing it (a district's hazard report
shows the monuments at risk there, and hazards never imports heritage): each app registers a section in its
AppConfig.ready(); the report asks for its sections with its subject and renders each one's template."""
from dataclasses import dataclass
from typing import Callable


@dataclass(frozen=True)
class ReportSection:
    """A section of the printable report named `report`: `context(request, **subject)` gives its template's context,
    or None to leave the section out; `template` renders it (with `section` in its context); in `order`."""

    report: str
    key: str
    template: str
    context: Callable
    order: int = 100


_SECTIONS: dict[tuple[str, str], ReportSection] = {}


def register_report_section(section: ReportSection) -> None:
    _SECTIONS[(section.report, section.key)] = section


def report_sections(report: str, request, **subject) -> list[dict]:
    """The registered sections of a report that have something to show: [{"template", "context"}], in order."""
    shown = []
    for section in sorted((s for s in _SECTIONS.values() if s.report == report), key=lambda s: (s.order, s.key)):
        context = section.context(request, **subject)
        if context is not None:
            shown.append({"key": section.key, "template": section.template, "context": context})
    return shown
