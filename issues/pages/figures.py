"""The KPI dashboard (charts, a district choropleth, CSV) and its printable choropleth made by folium.

The dashboard's script reads /api/stats/kpis and /api/stats/districts with the form's scope; the printable
choropleth is the same per-district figures drawn on the server (folium) with a table of every district.
"""
from dataclasses import dataclass
from datetime import timedelta
from typing import Callable

import folium
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET
from django.core.exceptions import PermissionDenied

from issues import permissions, stats
from issues.figures_scope import stats_scope
from issues.models import Category, Department
from layers.models import District
from core.i18n import localized
from core.page_access import page_for, page_refused
from core.errors import ServiceError
from core.printable_maps import map_parts, tooltip_text
from layers.printable_basemap import printable_map

NEEDS = _("The figures are for civil-protection planners, administrators and department managers.")
METRICS = {
    "posted": _("Reports posted"),
    "open": _("Open now"),
    "solved": _("Solved"),
    "share_solved": _("Share solved"),
    "median_days_to_resolve": _("Median days to resolve"),
}
CLASSES = 5  # equal steps from the lowest to the highest district; CSS .class-0 … .class-4 (light to dark)
CLASS_COLOURS = ["#f7fbff", "#c6dbef", "#6baed6", "#2171b5", "#08306b"]
NO_VALUE_COLOUR = "#d9d9d9"


@dataclass(frozen=True)
class FigureSection:
    """A section that another app adds to the dashboard (registered in its AppConfig.ready): a template included
    after the report figures, its scripts (static paths), and its page configuration (a function of the request,
    under page_config["sections"][name])."""

    name: str
    template: str
    scripts: tuple[str, ...]
    config: Callable


FIGURE_SECTIONS: dict[str, FigureSection] = {}


def register_figure_section(section: FigureSection) -> None:
    FIGURE_SECTIONS[section.name] = section


def _departments_for(user):
    """The department choices of the scope form, and whether "all departments" is one of them."""
    if permissions.is_administrator(user) or permissions.is_planner(user):
        return Department.objects.filter(active=True).order_by("name_en"), True
    return permissions.managed_departments(user).order_by("name_en"), False


@require_GET
@page_for(lambda request: permissions.can_read_figures(request.user), NEEDS)
def dashboard(request):
    departments, all_departments = _departments_for(request.user)
    today = timezone.localdate()
    return render(request, "issues/pages/figures.html", {
        "departments": [(d.slug, localized(d, "name")) for d in departments],
        "all_departments_label": _("All departments") if all_departments else "",
        "districts": [(d.code, localized(d, "name")) for d in District.objects.order_by("code")],
        "categories": [(c.service_code, localized(c, "name"))
                       for c in Category.objects.filter(active=True).order_by("group_en", "name_en")],
        "default_from": (today - timedelta(days=365)).isoformat(),
        "default_to": today.isoformat(),
        "metrics": METRICS.items(),
        "page_config": {
            "kpisUrl": reverse("stats-kpis"),
            "districtsUrl": reverse("stats-districts"),
            "mapUrl": reverse("figures-map"),
            "metrics": [{"value": k, "label": str(v)} for k, v in METRICS.items()],
            "sections": {name: section.config(request) for name, section in FIGURE_SECTIONS.items()},
        },
        "figure_sections": list(FIGURE_SECTIONS.values()),
    })


def classify(values: list[float | None]) -> tuple[list[int | None], list[tuple[float, float]]]:
    """Each value's class (0 … CLASSES-1, None for no value) in equal steps from the lowest to the highest, and
    the classes' ranges."""
    present = [v for v in values if v is not None]
    if not present:
        return [None] * len(values), []
    low, high = min(present), max(present)
    step = (high - low) / CLASSES
    if step == 0:
        return [None if v is None else 0 for v in values], [(low, high)]
    ranges = [(low + i * step, low + (i + 1) * step) for i in range(CLASSES)]
    return [None if v is None else min(int((v - low) / step), CLASSES - 1) for v in values], ranges


def _shown(metric: str, value) -> str:
    if value is None:
        return "–"
    if metric == "share_solved":
        return f"{float(value) * 100:.0f} %"
    if metric == "median_days_to_resolve":
        return f"{float(value):.1f}"
    return str(value)


def _bound(metric: str, value: float) -> str:
    if metric == "share_solved":
        return f"{value * 100:.0f} %"
    return f"{value:.1f}".removesuffix(".0")


@require_GET
@page_for(lambda request: permissions.can_read_figures(request.user), NEEDS)
def figures_map(request):
    """The per-district choropleth of one figure (?metric=) for the dashboard's scope, as a printable page."""
    metric = request.GET.get("metric", "posted")
    if metric not in METRICS:
        return page_refused(request, 400, f"metric: one of {', '.join(METRICS)}; got {metric[:40]!r}")
    try:
        scope = stats_scope(request.user, request.GET)
    except ServiceError as exc:
        return page_refused(request, exc.status, str(exc))
    except PermissionDenied as exc:
        return page_refused(request, 403, str(exc))
    collection = stats.kpis_by_district(scope)
    features = collection["features"]
    values = [f["properties"][metric] for f in features]
    classes, ranges = classify([None if v is None else float(v) for v in values])

    fmap = printable_map(request, bounds=_extent(District.objects.all()))
    rows = []
    for feature, value, klass in zip(features, values, classes):
        props = feature["properties"]
        name = localized(props, "name")
        colour = NO_VALUE_COLOUR if klass is None else CLASS_COLOURS[klass]
        folium.GeoJson(
            feature, style_function=lambda f, colour=colour: {"fillColor": colour, "fillOpacity": 0.75, "color": "#1c2430",
                                                              "weight": 1.5},
            tooltip=tooltip_text(name, f"{METRICS[metric]}: {_shown(metric, value)}"),
        ).add_to(fmap)
        rows.append({"code": props["code"], "name": name, "klass": "none" if klass is None else klass,
                     **{key: _shown(key, props[key]) for key in METRICS}})
    return render(request, "issues/pages/figures_map.html", {
        **map_parts(request, fmap),
        "metric": metric, "metric_label": METRICS[metric], "metrics": METRICS.items(), "rows": rows,
        "other_metrics": [{"label": label, "url": "?" + _with(request.GET, metric=key)} for key, label in METRICS.items() if key != metric],
        "legend": [{"klass": i, "low": _bound(metric, lo), "high": _bound(metric, hi)} for i, (lo, hi) in enumerate(ranges)],
        "scope": scope,
        "department_name": localized(scope.department, "name") if scope.department else None,
        "category_name": localized(scope.category, "name") if scope.category else None,
        "district_code": scope.district.code if scope.district else None,
    })


def _with(params, **changes) -> str:
    query = params.copy()
    for key, value in changes.items():
        query[key] = value
    return query.urlencode()


def _extent(districts) -> tuple[float, float, float, float]:
    boxes = [d.geom.extent for d in districts]
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))
