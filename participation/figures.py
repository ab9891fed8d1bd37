"""The roadmap's participation indicators per process, district or month, as JSON rows and CSV."""
import csv
import io

from core.sql_files import fetch_all

from .models import Process

FIGURE_GROUPS = ("process", "district", "month")
COLUMNS = ("key", "initiatives", "participants", "proposals", "comments", "supports", "votes",
           "co_creation_participants", "municipal_projects", "participatory_municipal_projects",
           "participatory_share")


def _with_share(row: dict) -> dict:
    total = row.get("municipal_projects")
    done = row.get("participatory_municipal_projects")
    row["participatory_share"] = round(done / total, 4) if total else None
    return row


def figures(*, by: str) -> dict:
    """{"by", "totals", "rows"}: totals count distinct participants over everything (not a sum of the rows) and
    every published process as an initiative; the municipal-project share is given per district and in total."""
    rows = fetch_all("participation", "figures", {"by": by})
    totals = (fetch_all("participation", "figures", {"by": "all"}) or [{c: 0 for c in COLUMNS[1:8]}])[0]
    totals["initiatives"] = Process.objects.filter(published=True).count()
    municipal = {r["key"]: r for r in fetch_all("participation", "municipal_projects_share",
                                                {"by": "district" if by == "district" else "all"})}
    for row in rows:
        shares = municipal.get(row["key"], {}) if by == "district" else {}
        row["municipal_projects"] = shares.get("municipal_projects") if by == "district" else None
        row["participatory_municipal_projects"] = (shares.get("participatory_municipal_projects")
                                                   if by == "district" else None)
        _with_share(row)
    if by == "district":
        for key, shares in municipal.items():
            if key not in {r["key"] for r in rows}:
                rows.append(_with_share({"key": key, **{c: 0 for c in COLUMNS[1:8]}, **{
                    k: v for k, v in shares.items() if k != "key"}}))
        rows.sort(key=lambda r: r["key"])
    everything = {r["key"]: r for r in fetch_all("participation", "municipal_projects_share", {"by": "all"})}.get("all", {})
    totals.pop("key", None)
    totals["municipal_projects"] = everything.get("municipal_projects", 0)
    totals["participatory_municipal_projects"] = everything.get("participatory_municipal_projects", 0)
    _with_share(totals)
    return {"by": by, "totals": totals, "rows": [{c: r.get(c) for c in COLUMNS} for r in rows]}


def figures_csv(answer: dict) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow((answer["by"],) + COLUMNS[1:])
    for row in answer["rows"]:
        writer.writerow([row.get(c) if row.get(c) is not None else "" for c in COLUMNS])
    writer.writerow(["total"] + [answer["totals"].get(c, "") if answer["totals"].get(c) is not None else ""
                                 for c in COLUMNS[1:]])
    return out.getvalue()
