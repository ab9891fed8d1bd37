"""The heritage home (map and list of records, filtered by period, type and organisation, paged) and a monument's
page (its record, objects, tours, routes and hazards)."""
from django import forms
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from core.i18n import in_language, localized
from hazards.models import Level
from hazards.selectors import hazard_profile

from .. import selectors
from ..vocabularies import EDM_TYPES, KINDS, PERIODS
from .links import media_url, object_url, panorama_scenes

PAGE_SIZE = 20
EDM_TYPE_LABELS = {"IMAGE": _("Image"), "TEXT": _("Text"), "3D": _("3D"), "VIDEO": _("Video"), "SOUND": _("Sound")}


def period_label(slug: str) -> str:
    period = PERIODS.get(slug)
    return in_language(el=period.label_el, en=period.label_en) if period else ""


class HomeFilters(forms.Form):
    """The home page's filters; each empty means all."""

    period = forms.ChoiceField(label=_("Period"), required=False)
    edm_type = forms.ChoiceField(label=_("Type"), required=False)
    organisation = forms.ChoiceField(label=_("Organisation"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        everything = [("", _("All"))]
        self.fields["period"].choices = everything + [(slug, period_label(slug)) for slug in PERIODS]
        self.fields["edm_type"].choices = everything + [(value, EDM_TYPE_LABELS[value]) for value in EDM_TYPES]
        self.fields["organisation"].choices = everything + [
            (o.slug, localized(o, "name")) for o in selectors.organisations()]


def _item(obj, scenes: dict[int, str]) -> dict:
    """A record as the list and the map show it."""
    return {"title": localized(obj, "title"), "url": object_url(obj, scenes), "kind": in_language(el=KINDS[obj.kind][0], en=KINDS[obj.kind][1]),
            "period": period_label(obj.period), "date": obj.date, "organisation": localized(obj.organisation, "name"),
            "lon": round(obj.point.x, 6) if obj.point else None, "lat": round(obj.point.y, 6) if obj.point else None}


@require_GET
def home(request):
    """/heritage/ : the records (monuments and objects) on a map and as a list, filtered and paged; the tours and
    walking routes."""
    filters = HomeFilters(request.GET)
    status = 200
    if filters.is_valid():
        chosen = {name: value for name, value in filters.cleaned_data.items() if value}
    else:
        chosen, status = {}, 400
    records = selectors.public_objects(**chosen)
    page = Paginator(records, PAGE_SIZE).get_page(request.GET.get("page"))
    scenes = panorama_scenes(page.object_list)
    items = [_item(obj, scenes) for obj in page.object_list]
    kept = request.GET.copy()
    kept.pop("page", None)
    return render(request, "heritage/pages/home.html", {
        "filters": filters, "page": page, "items": items, "query": kept.urlencode(),
        "tours": [{"slug": t.slug, "title": localized(t, "title")} for t in selectors.tours()],
        "routes": [{"slug": r.slug, "title": localized(r, "title")} for r in selectors.routes()],
        "page_config": {"points": [{"title": i["title"], "url": i["url"], "lon": i["lon"], "lat": i["lat"]}
                                   for i in items if i["lon"] is not None]},
    }, status=status)


def _hazards(point) -> list[dict]:
    """The hazard profile at the monument's place: each hazard layer with its level, in the page's language."""
    labels = dict(Level.choices)
    rows = []
    for entry in hazard_profile(point):
        if entry["level"] is None and entry["status"] == "ok":
            continue  # a layer that is not a hazard (site data)
        level = entry["level"] if entry["status"] == "ok" else "no_data"
        rows.append({"layer": localized(entry, "title"), "level": level, "label": labels.get(level, level)})
    return rows


@require_GET
def monument_page(request, monument_id: int):
    """/heritage/monuments/<id>/ : the monument's record, its objects, the tours and routes that include it, its
    hazards; a block where staff see its condition reports."""
    monument = selectors.monument_by_id(monument_id)
    if monument is None:
        raise Http404(f"no monument {monument_id}")
    site = monument.site
    record = selectors.monument_record(monument)
    image = record.media.all()[0] if record and record.media.all() else None
    objects = list(selectors.monument_objects(monument))
    scenes = panorama_scenes(objects)
    return render(request, "heritage/pages/monument.html", {
        "monument": monument, "site": site, "name": localized(site, "name"), "record": record,
        "description": localized(record, "description") if record else localized(site, "description"),
        "period": period_label(record.period) if record else site.period,
        "keeper": localized(monument.organisation, "name") if monument.organisation else "",
        "image": {"url": media_url(image.path), "width": image.width, "height": image.height,
                  "attribution": image.attribution} if image else None,
        "same_as": list(record.same_as.all()) if record else [],
        "objects": [_item(obj, scenes) for obj in objects],
        "tours": [{"slug": t.slug, "title": localized(t, "title")} for t in selectors.tours_including(monument)],
        "routes": [{"slug": r.slug, "title": localized(r, "title")} for r in selectors.routes_including(monument)],
        "hazards": _hazards(site.geom),
        "page_config": {"points": [{"title": localized(site, "name"), "lon": site.geom.x, "lat": site.geom.y}]},
    })
