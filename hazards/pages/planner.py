"""The planner map: hazard layers with legends and opacity, the hazard profile of any point, the area query
(a drawn polygon or a district) with its exposure lists, and the districts' levels as a choropleth.

Its script calls the hazard API (/api/hazards/...), the OGC API for the zones of vector layers, and
/api/districts/ for the district outlines.
"""
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from hazards.models import ALL_KINDS, HazardLayer, Level
from layers.models import District
from core.i18n import localized
from core.page_access import page_for, planner_or_administrator

from hazards.scenarios.fragility import CLASSES
from hazards.scenarios.gmpe import MODELS
from hazards.scenarios.presets import PRESETS

NEEDS = _("The planner map is for civil-protection planners and administrators.")


def _url_template(name: str, placeholder_kwargs: dict, placeholders: dict) -> str:
    """A URL with {placeholders} for the script to fill, e.g. /api/hazards/{layer}/legend."""
    url = reverse(name, kwargs=placeholder_kwargs)
    for value, placeholder in placeholders.items():
        url = url.replace(value, placeholder)
    return url


@require_GET
@page_for(lambda request: planner_or_administrator(request.user), NEEDS)
def planner_map(request):
    kinds = sorted(set(HazardLayer.objects.values_list("kind", flat=True)))
    return render(request, "hazards/pages/planner_map.html", {
        "districts": [(d.code, localized(d, "name")) for d in District.objects.order_by("code")],
        "kinds": [(kind, dict(ALL_KINDS).get(kind, kind)) for kind in kinds if kind != "site"],
        "scenario_presets": [(key, preset["label"]) for key, preset in PRESETS.items()],
        "scenario_mechanisms": [("normal", _("Normal")), ("reverse", _("Reverse")), ("strike-slip", _("Strike-slip"))],
        "scenario_ruptures": [("finite", _("Finite fault (strike and dip)")), ("point", _("Point source"))],
        "scenario_models": [(model.id, model.name) for model in MODELS.values()],
        "scenario_sigmas": [("0", _("Median")), ("-1", _("16th percentile (weaker)")), ("1", _("84th percentile (stronger)"))],
        "page_config": {
            "layersUrl": reverse("hazard-layers"),
            "profileUrl": reverse("hazard-profile"),
            "areaUrl": reverse("hazard-area"),
            "exposureUrl": reverse("hazard-exposure"),
            "districtLevelsUrl": reverse("hazard-districts"),
            "districtsUrl": reverse("district-list"),
            "zonesUrl": reverse("ogc-items", kwargs={"collection_id": "hazard-zones"}),
            "legendUrl": _url_template("hazard-legend", {"slug": "layer-slug"}, {"layer-slug": "{layer}"}),
            "tileUrl": _url_template("hazard-tile", {"slug": "layer-slug", "z": 1, "x": 2, "y": 3},
                                     {"layer-slug": "{layer}", "/1/2/3.png": "/{z}/{x}/{y}.png"}),
            "scenariosUrl": reverse("hazard-scenarios"),
            "scenarioPresets": {key: preset["inputs"] for key, preset in PRESETS.items()},
            "buildingClasses": {key: localized(c, "title") for key, c in CLASSES.items()},
            "reportUrl": _url_template("district-report", {"code": "district-code"}, {"district-code": "{district}"}),
            "kinds": [{"value": k, "label": str(v)} for k, v in ALL_KINDS],
            "levels": [{"value": k, "label": str(v)} for k, v in Level.choices],
        },
    })
