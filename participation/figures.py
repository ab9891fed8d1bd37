"""The roadmap's participation indicators per process, district or month, and its outcome indicator per year, as
JSON rows and CSV, each figure with its definition. Demo data is left out unless asked for, and said when included."""
import csv
import io

from django.utils.translation import gettext_lazy as _

from core.sql_files import fetch_all

from .models import Process

FIGURE_GROUPS = ("process", "district", "month")
COLUMNS = ("key", "initiatives", "participants", "proposals", "comments", "supports", "votes",
           "co_creation_participants", "meeting_attendees", "municipal_projects", "participatory_municipal_projects",
           "participatory_share")
# What each figure counts, shown beside it on the page and written into the CSV.
DEFINITIONS = {
    "initiatives": _("Published participatory processes (in a group: those with at least one act in it)."),
    "participants": _("Distinct accounts that published a proposal, co-authored one (an accepted invitation or "
                      "request to join), supported, commented or voted."),
    "proposals": _("Proposals published (every state but draft)."),
    "comments": _("Comments written, hidden ones included."),
    "supports": _("Supports given and not withdrawn."),
    "votes": _("Ballots cast in the budgets (one per participant and budget)."),
    "co_creation_participants": _("Distinct accounts that wrote a proposal with its author: accepted an invitation "
                                  "to co-author it, or joined its collaborative draft (a request to join that the "
                                  "author accepted). Amendments are not part of the platform, so they count nothing."),
    "meeting_attendees": _("People who attended the closed in-person meetings, as counted by the staff who closed "
                           "them (a head count, not accounts: not part of the participants), in the meeting's "
                           "month and district."),
    "municipal_projects": _("Projects in the municipal project register, whatever their status."),
    "participatory_municipal_projects": _("Register projects shaped by a participatory process or linked to an "
                                          "implementation record."),
    "participatory_share": _("Register projects with participation ÷ all register projects."),
}
OUTCOME_COLUMNS = ("year", "implemented_projects", "participatory_projects", "share")
OUTCOME_DEFINITION = _(
    "Per year of completion: the implemented projects shaped by a participatory process ÷ all implemented municipal "
    "projects. Implemented: the register's projects whose status is done (in the year of their completion date) and "
    "the implementation records whose status is done (in the year of their end) that no register project names; "
    "shaped by a participatory process: a register project with a process or an implementation record, and every "
    "implementation record.")
OUTCOME_DEFINITIONS = {
    "implemented_projects": _("Municipal projects done in the year (the register's, and implementation records no "
                              "register project names)."),
    "participatory_projects": _("Of those, the ones a participatory process shaped."),
    "share": OUTCOME_DEFINITION,
}
DEMO_LABEL = _("Includes demo data: the figures are not the city's.")


def _with_share(row: dict) -> dict:
    total = row.get("municipal_projects")
    done = row.get("participatory_municipal_projects")
    row["participatory_share"] = round(done / total, 4) if total else None
    return row


def _demo_fields(include_demo: bool) -> dict:
    return {"include_demo": include_demo, "demo_label": str(DEMO_LABEL) if include_demo else None}


def figures(*, by: str, include_demo: bool = False) -> dict:
    """{"by", "totals", "rows", "definitions", "include_demo", "demo_label"}: totals count distinct participants over
    everything (not a sum of the rows) and every published process as an initiative; the municipal-project share is
    given per district and in total. Demo processes, proposals and projects only with include_demo."""
    demo = {"include_demo": include_demo}
    rows = fetch_all("participation", "figures", {"by": by, **demo})
    totals = (fetch_all("participation", "figures", {"by": "all", **demo}) or [{c: 0 for c in COLUMNS[1:9]}])[0]
    processes = Process.objects.filter(published=True)
    totals["initiatives"] = (processes if include_demo else processes.filter(demo=False)).count()
    municipal = {r["key"]: r for r in fetch_all("participation", "municipal_projects_share",
                                                {"by": "district" if by == "district" else "all", **demo})}
    for row in rows:
        shares = municipal.get(row["key"], {}) if by == "district" else {}
        row["municipal_projects"] = shares.get("municipal_projects") if by == "district" else None
        row["participatory_municipal_projects"] = (shares.get("participatory_municipal_projects")
                                                   if by == "district" else None)
        _with_share(row)
    if by == "district":
        for key, shares in municipal.items():
            if key not in {r["key"] for r in rows}:
                rows.append(_with_share({"key": key, **{c: 0 for c in COLUMNS[1:9]}, **{
                    k: v for k, v in shares.items() if k != "key"}}))
        rows.sort(key=lambda r: r["key"])
    everything = {r["key"]: r for r in fetch_all("participation", "municipal_projects_share",
                                                 {"by": "all", **demo})}.get("all", {})
    totals.pop("key", None)
    totals["municipal_projects"] = everything.get("municipal_projects", 0)
    totals["participatory_municipal_projects"] = everything.get("participatory_municipal_projects", 0)
    _with_share(totals)
    return {"by": by, "totals": totals, "rows": [{c: r.get(c) for c in COLUMNS} for r in rows],
            "definitions": {name: str(text) for name, text in DEFINITIONS.items()}, **_demo_fields(include_demo)}


def outcome_indicator(*, include_demo: bool = False) -> dict:
    """{"definition", "definitions", "rows": [{year, implemented_projects, participatory_projects, share}],
    "include_demo", "demo_label"}: the roadmap's outcome indicator per year of completion (share None when nothing
    was implemented that year)."""
    rows = []
    for row in fetch_all("participation", "outcome_indicator", {"include_demo": include_demo}):
        total, shaped = row["implemented_projects"], row["participatory_projects"]
        rows.append({"year": row["year"], "implemented_projects": total, "participatory_projects": shaped,
                     "share": round(shaped / total, 4) if total else None})
    return {"definition": str(OUTCOME_DEFINITION), "rows": rows,
            "definitions": {name: str(text) for name, text in OUTCOME_DEFINITIONS.items()},
            **_demo_fields(include_demo)}


def _csv_footer(writer, answer: dict) -> None:
    """The definitions of the columns and whether demo data is in the figures, after the figures."""
    writer.writerow([])
    for name, text in answer["definitions"].items():
        writer.writerow(["definition", name, text])
    writer.writerow(["demo data", "included" if answer["include_demo"] else "left out", answer["demo_label"] or ""])


def figures_csv(answer: dict) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow((answer["by"],) + COLUMNS[1:])
    for row in answer["rows"]:
        writer.writerow([row.get(c) if row.get(c) is not None else "" for c in COLUMNS])
    writer.writerow(["total"] + [answer["totals"].get(c, "") if answer["totals"].get(c) is not None else ""
                                 for c in COLUMNS[1:]])
    _csv_footer(writer, answer)
    return out.getvalue()


def outcome_csv(answer: dict) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(OUTCOME_COLUMNS)
    for row in answer["rows"]:
        writer.writerow([row[c] if row[c] is not None else "" for c in OUTCOME_COLUMNS])
    _csv_footer(writer, answer)
    return out.getvalue()
