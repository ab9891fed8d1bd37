"""The printable hazard and exposure report of a district: a folium map of one layer with the exposed features,
and tables of every layer (levels, shares of the district, residents, features per level)."""
import folium
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from hazards.models import ALL_KINDS, LEVELS, EarthquakeScenario, HazardLayer, HazardZone, Level
from hazards.reports import district_report
from hazards.tiles import COLOURS
from layers.models import District
from core.i18n import localized
from core.page_access import page_for, page_refused, planner_or_administrator
from core.printable_maps import map_parts, tooltip_text
from core.report_sections import report_sections
from layers.printable_basemap import printable_map

from .planner import NEEDS

NO_DATA_COLOUR = "#8c8c8c"


def _hex(level: str | None) -> str:
    if level is None or level not in COLOURS:
        return NO_DATA_COLOUR
    red, green, blue, _alpha = COLOURS[level]
    return f"#{red:02x}{green:02x}{blue:02x}"


@require_GET
@page_for(lambda request, code: planner_or_administrator(request.user), NEEDS)
def district_report_page(request, code):
    district = District.objects.filter(code=code).first()
    if district is None:
        codes = ", ".join(District.objects.order_by("code").values_list("code", flat=True))
        return page_refused(request, 404, f"district: no district {code[:40]!r}; one of {codes}")
    layers = [layer for layer in HazardLayer.objects.all() if layer.is_hazard]
    if not layers:
        return page_refused(request, 400, _("No hazard layer is loaded yet."))
    slug = request.GET.get("layer")
    chosen = next((layer for layer in layers if layer.slug == slug), None)
    if slug and chosen is None:
        return page_refused(request, 400, f"layer: no hazard layer {slug[:64]!r}; one of {', '.join(l.slug for l in layers)}")
    report = district_report(district=district)
    shown = next((row for row in report.layers if row.layer == chosen), None) or report.worst_layer()
    chosen = shown.layer

    fmap = printable_map(request, bounds=district.geom.extent)
    _draw_layer(request, fmap, chosen, district, localized(chosen, "title"))
    folium.GeoJson(district.geom.geojson, style_function=lambda f: {"fill": False, "color": "#0b4f8a", "weight": 3},
                   interactive=False).add_to(fmap)
    titles = {source.id: localized(source, "title") for source in report.collections}
    exposed_rows = []
    for collection_id, features in shown.features.items():
        for feature in features:
            props = feature["properties"]
            name = localized(props, "name") or f"{titles[collection_id]} #{feature['id']}"
            level = props.get("level")
            lon, lat = feature["geometry"]["coordinates"]
            folium.CircleMarker(
                [lat, lon], radius=6, weight=1.5, color="#1c2430", fill=True, fill_color=_hex(level), fill_opacity=0.95,
                tooltip=tooltip_text(name, titles[collection_id], str(Level(level or "none").label)),
            ).add_to(fmap)
            if level in ("medium", "high"):
                exposed_rows.append({"name": name, "collection": titles[collection_id], "level": level,
                                     "level_name": Level(level).label, "value": props.get("value")})
    exposed_rows.sort(key=lambda row: (-LEVELS.index(row["level"]), row["collection"], row["name"]))

    return render(request, "hazards/pages/district_report.html", {
        **map_parts(request, fmap),
        "district": district,
        "district_name": localized(district, "name"),
        "chosen": chosen,
        "chosen_title": localized(chosen, "title"),
        "other_layers": [{"title": localized(layer, "title"), "url": f"?layer={layer.slug}"}
                         for layer in layers if layer != chosen],
        "rule": report.rule,
        "kinds": [{"name": dict(ALL_KINDS).get(k["kind"], k["kind"]), "level": k["level"] or "none",
                   "level_name": Level(k["level"] or "none").label} for k in report.kinds],
        "levels": [(level, Level(level).label) for level in reversed(LEVELS)],
        "layer_rows": [_layer_row(row, titles) for row in report.layers],
        "exposed_rows": exposed_rows,
        "scenario_rows": _scenario_rows(district),
        "sections": report_sections("district", request, district=district, layer=chosen),
        "planner_url": reverse("planner-map"),
    })


def _scenario_rows(district: District) -> list[dict]:
    """The district's line of each computed earthquake scenario: shaking and expected damage, with the band."""
    rows = []
    for scenario in EarthquakeScenario.objects.filter(status=EarthquakeScenario.Status.DONE).order_by("created_at", "id"):
        entry = next((d for d in scenario.results.get("districts", []) if d["district"] == district.code), None)
        if entry is None or entry.get("pga_g") is None:
            continue
        buildings = entry.get("buildings")

        def moderate_or_worse(counts):
            return sum(counts.get(state, 0) for state in ("moderate", "extensive", "complete"))

        rows.append({
            "name": scenario.name, "pga": entry["pga_g"]["mean"], "mmi": entry["mmi"]["mean"],
            "buildings": buildings["total"] if buildings else None,
            "moderate": moderate_or_worse(buildings["expected"]) if buildings else None,
            "band": (moderate_or_worse(buildings["band"]["p16"]), moderate_or_worse(buildings["band"]["p84"])) if buildings else None,
            "severe": buildings["expected"].get("extensive", 0) + buildings["expected"].get("complete", 0) if buildings else None,
        })
    return rows


def _layer_row(row, titles: dict) -> dict:
    shares = [round(row.level_shares.get(level, 0.0) * 100, 1) for level in reversed(LEVELS)]
    return {
        "title": localized(row.layer, "title"), "slug": row.layer.slug, "units": row.layer.units,
        "level": row.level or "none", "level_name": Level(row.level or "none").label,
        "shares": shares, "coverage": round(row.coverage * 100, 1),
        "mean": row.statistics.get("mean"), "max": row.statistics.get("max"),
        "residents": [row.residents.get(level, 0) for level in reversed(LEVELS)],
        "counts": [(titles[collection], [counts.get(level, 0) for level in reversed(LEVELS)])
                   for collection, counts in row.counts.items()],
    }


def _draw_layer(request, fmap, layer: HazardLayer, district: District, title: str) -> None:
    """The chosen layer: its raster tiles from this server, or its zones that meet the district."""
    if layer.source == HazardLayer.Source.RASTER:
        tiles = reverse("hazard-tile", kwargs={"slug": layer.slug, "z": 1, "x": 2, "y": 3}).replace("/1/2/3.png", "/{z}/{x}/{y}.png")
        folium.TileLayer(tiles=request.build_absolute_uri("/").rstrip("/") + tiles, attr=tooltip_text(title), opacity=0.75,
                         overlay=True, name=layer.slug).add_to(fmap)
        return
    for zone in HazardZone.objects.filter(layer=layer, geom__intersects=district.geom):
        folium.GeoJson(zone.geom.geojson, style_function=lambda f, colour=_hex(zone.level): {
            "fillColor": colour, "fillOpacity": 0.55, "color": colour, "weight": 1}, interactive=False).add_to(fmap)
