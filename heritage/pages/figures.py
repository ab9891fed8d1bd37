"""The heritage portal's figures page: the roadmap's three figures, each with its definition, and links to the same
figures as JSON and CSV (/api/heritage/figures/)."""
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from ..figures import MONTHLY, portal_figures
from ..usage import visits_roll_up


@require_GET
def figures_page(request):
    visits_roll_up()  # the days before today counted, so every figure is complete
    figures = portal_figures()
    totals = [row for row in figures["rows"] if not row["period"]]
    months: dict[str, dict] = {}
    for row in figures["rows"]:
        if row["period"]:
            months.setdefault(row["period"], {})[row["figure"]] = row["value"]
    api = reverse("heritage-figures")
    return render(request, "heritage/pages/figures.html", {
        "totals": totals, "monthly": MONTHLY, "definitions": figures["definitions"], "as_of": figures["as_of"],
        "months": [{"month": month, "values": [values.get(kind, 0) for kind in MONTHLY]}
                   for month, values in sorted(months.items(), reverse=True)],
        "json_url": api, "csv_url": f"{api}?format=csv",
    })
