"""The virtual tours (Pannellum over equirectangular panoramas, the scenes also as a text list and on a map), the
walking routes (map, stops with text and audio, GPX) and the 3D page of an object (model-viewer)."""
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from core.i18n import in_language, localized

from .. import selectors
from ..gpx import route_gpx
from .links import media_url, object_url
from .model_viewer import allows_model_viewer


def _hotspot(hotspot) -> dict:
    if hotspot.target_scene is not None:
        return {"yaw": hotspot.yaw, "pitch": hotspot.pitch, "text": localized(hotspot, "label"),
                "scene": hotspot.target_scene.slug}
    return {"yaw": hotspot.yaw, "pitch": hotspot.pitch, "text": localized(hotspot, "label"),
            "url": object_url(hotspot.target_object)}


@require_GET
def tour_page(request, slug: str):
    """/heritage/tours/<slug>/ : the tour's panorama viewer, the scenes as a list (each with where its hotspots lead),
    and a small map of where the scenes were taken."""
    tour = selectors.tour_by_slug(slug)
    if tour is None:
        raise Http404(f"no tour {slug!r}")
    scenes = []
    for scene in tour.scenes.all():
        scenes.append({
            "slug": scene.slug, "title": localized(scene, "title"), "description": localized(scene, "description"),
            "panorama": media_url(scene.panorama.path), "attribution": scene.panorama.attribution,
            "yaw": scene.yaw, "pitch": scene.pitch, "lon": scene.place.x, "lat": scene.place.y,
            "monument": (reverse("heritage-page-monument", kwargs={"monument_id": scene.monument_id}),
                         localized(scene.monument.site, "name")) if scene.monument_id else None,
            "hotspots": [_hotspot(h) for h in scene.hotspots.all()],
        })
    titles = {scene["slug"]: scene["title"] for scene in scenes}
    for scene in scenes:
        for hotspot in scene["hotspots"]:
            hotspot["sceneTitle"] = titles.get(hotspot.get("scene"), "")
    return render(request, "heritage/pages/tour.html", {
        "tour": tour, "title": localized(tour, "title"), "description": localized(tour, "description"),
        "scenes": scenes,
        "page_config": {"scenes": [{k: v for k, v in s.items() if k not in ("monument", "description")}
                                   for s in scenes]},
    })


def _route_or_404(slug: str):
    route = selectors.route_by_slug(slug)
    if route is None:
        raise Http404(f"no walking route {slug!r}")
    return route


def _stop_link(stop) -> tuple[str, str]:
    """Where a stop's title leads and what it is: a monument's page, an object's page or a tour at its scene."""
    if stop.monument_id:
        return reverse("heritage-page-monument", kwargs={"monument_id": stop.monument_id}), "monument"
    if stop.scene_id:
        return f"{reverse('heritage-page-tour', kwargs={'slug': stop.scene.tour.slug})}#scene-{stop.scene.slug}", "panorama"
    return object_url(stop.cultural_object), "object"


@require_GET
def route_page(request, slug: str):
    """/heritage/routes/<slug>/ : the route's story, its line and stops on a map, the stops in order with their text
    and audio, the GPX file."""
    route = _route_or_404(slug)
    stops = []
    for stop in route.stops.all():
        url, kind = _stop_link(stop)
        audio = in_language(el=stop.audio_el or stop.audio_en, en=stop.audio_en or stop.audio_el)
        stops.append({"position": stop.position, "title": localized(stop, "title"), "text": localized(stop, "text"),
                      "url": url, "kind": kind, "audio": {"url": media_url(audio.path), "mime": audio.mime} if audio else None,
                      "lon": round(stop.point.x, 6) if stop.point else None,
                      "lat": round(stop.point.y, 6) if stop.point else None})
    return render(request, "heritage/pages/route.html", {
        "route": route, "title": localized(route, "title"), "description": localized(route, "description"),
        "stops": stops, "length_km": round(route.geom.transform(2100, clone=True).length / 1000, 1),
        "page_config": {"line": [[round(y, 6), round(x, 6)] for x, y in route.geom.coords],
                        "stops": [{k: s[k] for k in ("position", "title", "url", "lon", "lat")}
                                  for s in stops if s["lon"] is not None]},
    })


@require_GET
def route_gpx_file(request, slug: str):
    """/heritage/routes/<slug>.gpx : the route as GPX 1.1 (a track and a waypoint per stop), for a phone's map app."""
    route = _route_or_404(slug)
    link = request.build_absolute_uri(reverse("heritage-page-route", kwargs={"slug": slug}))
    response = HttpResponse(route_gpx(route, link=link), content_type="application/gpx+xml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{route.slug}.gpx"'
    return response


@require_GET
@allows_model_viewer
def model_page(request, identifier: str):
    """/heritage/objects/<identifier>/3d/ : a 3D object in model-viewer (AR where the phone supports it), with its
    description as the text alternative."""
    found = selectors.model_of_object(identifier)
    if found is None:
        raise Http404(f"no 3D object {identifier!r}")
    obj, model = found
    return render(request, "heritage/pages/model.html", {
        "object": obj, "title": localized(obj, "title"), "description": localized(obj, "description"),
        "model": {"url": media_url(model.path), "attribution": model.attribution or obj.attribution},
    })
