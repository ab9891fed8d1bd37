"""The printable page of monuments at risk, for planners: a hazard (levels at the monuments and in their districts)
or a stored earthquake scenario (shaking and the probability of at least moderate damage), as a map and a ranked
table, with the method beside them."""
import folium
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from core.errors import ServiceError
from core.i18n import localized
from core.page_access import page_for, page_refused, planner_or_administrator
from core.printable_maps import map_parts, tooltip_text
from hazards.models import HazardKind, Level
from hazards.tiles import COLOURS
from layers.printable_basemap import printable_map

from .. import at_risk

NEEDS = _("The monuments at risk are for civil-protection planners and administrators.")
NO_DATA_COLOUR = "#8c8c8c"


def level_colour(level: str) -> str:
    """The hazard maps' colour of a level (grey for no data)."""
    if level not in COLOURS:
        return NO_DATA_COLOUR
    red, green, blue, _alpha = COLOURS[level]
    return f"#{red:02x}{green:02x}{blue:02x}"


@require_GET
@page_for(lambda request: planner_or_administrator(request.user), NEEDS)
def monuments_at_risk_page(request):
    kinds = at_risk.hazard_kinds()
    scenarios = at_risk.done_scenarios()
    try:
        if request.GET.get("scenario"):
            scenario = at_risk.scenario_from_param(request.GET["scenario"])
            answer, chosen = at_risk.monuments_at_risk_in_scenario(scenario), f"scenario-{scenario.pk}"
            heading = _("Monuments at risk in the earthquake scenario %(name)s") % {"name": scenario.name}
        else:
            kind = at_risk.hazard_from_param(request.GET.get("hazard") or (kinds[0] if kinds else ""))
            answer, chosen = at_risk.monuments_at_risk_for_hazard(kind), kind
            heading = _("Monuments at risk: %(hazard)s") % {"hazard": HazardKind(kind).label}
    except ServiceError as error:
        return page_refused(request, error.status, str(error))

    monuments = answer["monuments"]
    bounds = (min(m["lon"] for m in monuments), min(m["lat"] for m in monuments),
              max(m["lon"] for m in monuments), max(m["lat"] for m in monuments)) if monuments else None
    fmap = printable_map(request, bounds=bounds)
    rows = []
    for entry in monuments:
        name = localized(entry, "name")
        level_name = str(Level(entry["level"]).label)
        folium.CircleMarker([entry["lat"], entry["lon"]], radius=7, weight=1.5, color="#1c2430", fill=True,
                            fill_color=level_colour(entry["level"]), fill_opacity=0.95,
                            tooltip=tooltip_text(f"{entry['rank']}. {name}", level_name)).add_to(fmap)
        rows.append({**entry, "name": name, "level_name": level_name,
                     "district_level_name": str(Level(entry["district_level"]).label) if "district_level" in entry else ""})
    return render(request, "heritage/pages/at_risk.html", {
        **map_parts(request, fmap),
        "heading": heading, "answer": answer, "rows": rows, "chosen": chosen,
        "is_scenario": "scenario" in answer,
        "hazards": [{"value": kind, "label": HazardKind(kind).label, "url": f"?hazard={kind}"} for kind in kinds],
        "scenarios": [{"value": f"scenario-{s.pk}", "label": s.name, "url": f"?scenario={s.pk}"} for s in scenarios],
        "levels": [(level, Level(level).label) for level in ("high", "medium", "low", "very_low", "none", "no_data")],
        "planner_url": reverse("planner-map"),
        "api_url": reverse("heritage-at-risk") + ("?" + request.GET.urlencode() if request.GET else ""),
    })


def district_report_section(request, *, district, layer) -> dict | None:
    """The section of a district's printable hazard report (registered in heritage/apps.py): the district's monuments
    on the hazard of the report's layer, ranked city-wide, and their shaking and probability of at least moderate
    damage in each computed earthquake scenario; None when no monument stands in the district."""
    if not planner_or_administrator(request.user):
        return None
    kind = layer.kind if layer.kind in at_risk.hazard_kinds() else None
    hazard_rows = []
    if kind:
        hazard_rows = [{**entry, "name": localized(entry, "name"), "level_name": Level(entry["level"]).label}
                       for entry in at_risk.monuments_at_risk_for_hazard(kind)["monuments"]
                       if entry["district"] == district.code]
    scenarios = []
    for scenario in at_risk.done_scenarios():
        rows = [{**entry, "name": localized(entry, "name")} for entry in at_risk.monuments_at_risk_in_scenario(scenario)["monuments"]
                if entry["district"] == district.code]
        if rows:
            scenarios.append({"name": scenario.name, "rows": rows,
                              "url": reverse("heritage-at-risk-page") + f"?scenario={scenario.pk}"})
    if not hazard_rows and not scenarios:
        return None
    return {"hazard_name": HazardKind(kind).label if kind else "", "hazard_rows": hazard_rows, "scenarios": scenarios,
            "hazard_method": at_risk.HAZARD_METHOD, "scenario_method": at_risk.SCENARIO_METHOD,
            "url": reverse("heritage-at-risk-page") + (f"?hazard={kind}" if kind else "")}
