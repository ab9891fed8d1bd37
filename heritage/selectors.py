"""Reads of heritage records: objects with the place EDM shows, change-ordered lists for harvesting, sets."""
from datetime import datetime

from django.conf import settings
from django.contrib.gis.db.models import GeometryField
from django.contrib.gis.db.models.functions import AsGeoJSON, PointOnSurface
from django.db.models import Min, Prefetch, Q, QuerySet
from django.db.models.functions import Coalesce

from issues.permissions import readable_departments
from issues.selectors import reports_at_place

from .models import CulturalObject, MediaFile, Monument, Organisation, Route, RouteStop, Tour, TourHotspot, TourScene


def objects_with_place() -> QuerySet[CulturalObject]:
    """Objects with what their records show: organisation, monument and site, same-as links, media, and `point`,
    a point on the object's own place or else on its monument's site (PostGIS ST_PointOnSurface)."""
    return (CulturalObject.objects.select_related("organisation", "monument__site")
            .prefetch_related("same_as", "media")
            .annotate(point=PointOnSurface(Coalesce("place", "monument__site__geom", output_field=GeometryField(srid=4326)))))


def object_by_identifier(identifier: str) -> CulturalObject | None:
    """The object with this identifier, withdrawn ones included (None when there is none)."""
    return objects_with_place().filter(identifier=identifier).first()


def set_filter(set_spec: str) -> Q | None:
    """The records of a set: `organisation`, `organisation:<slug>`, `site`, `site:<slug>`; None for an unknown set."""
    if set_spec == "organisation":
        return Q()
    if set_spec == "site":
        return Q(monument__isnull=False)
    scope, _, slug = set_spec.partition(":")
    if scope == "organisation" and Organisation.objects.filter(slug=slug).exists():
        return Q(organisation__slug=slug)
    if scope == "site" and Monument.objects.filter(site__slug=slug).exists():
        return Q(monument__site__slug=slug)
    return None


def objects_changed(*, since: datetime | None = None, before: datetime | None = None, where: Q | None = None,
                    after: tuple[datetime, int] | None = None) -> QuerySet[CulturalObject]:
    """Objects (tombstones included) changed at or after `since` and before `before`, in change order
    (change time, then id), those after the (change time, id) `after` only: a stable order to page through."""
    objects = objects_with_place()
    if since is not None:
        objects = objects.filter(modified__gte=since)
    if before is not None:
        objects = objects.filter(modified__lt=before)
    if where is not None:
        objects = objects.filter(where)
    if after is not None:
        objects = objects.filter(Q(modified__gt=after[0]) | Q(modified=after[0], id__gt=after[1]))
    return objects.order_by("modified", "id")


def earliest_change() -> datetime | None:
    return CulturalObject.objects.aggregate(earliest=Min("modified"))["earliest"]


def harvest_sets() -> list[tuple[str, str]]:
    """Every set as (setSpec, setName): organisations and sites, each under its parent set."""
    sets = [("organisation", "Records by organisation (data provider)")]
    sets += [(f"organisation:{o.slug}", o.name_en) for o in Organisation.objects.order_by("slug")]
    sets.append(("site", "Records by monument or site"))
    sets += [(f"site:{m.site.slug}", m.site.name_en) for m in Monument.objects.select_related("site").order_by("site__slug")]
    return sets


def public_objects(*, period: str = "", edm_type: str = "", organisation: str = "", site: str = "") -> QuerySet[CulturalObject]:
    """Objects not withdrawn, in title order, filtered by period, EDM type, organisation slug and site slug."""
    objects = objects_with_place().filter(deleted__isnull=True)
    for name, value in (("period", period), ("edm_type", edm_type), ("organisation__slug", organisation),
                        ("monument__site__slug", site)):
        if value:
            objects = objects.filter(**{name: value})
    return objects.order_by("title_en", "title_el", "id")


def organisations() -> QuerySet[Organisation]:
    return Organisation.objects.order_by("name_en")


def object_for_manifest(identifier: str) -> CulturalObject | None:
    """An object with its records' reads and `place_geojson`, the GeoJSON of its own place or else its monument's
    site (PostGIS ST_AsGeoJSON, 6 decimals); withdrawn ones included, None when there is none."""
    return (objects_with_place().filter(identifier=identifier)
            .annotate(place_geojson=AsGeoJSON(Coalesce("place", "monument__site__geom",
                                                       output_field=GeometryField(srid=4326)), precision=6))
            .first())


def monuments_with_geojson() -> QuerySet[Monument]:
    """Monuments with their site and `place_geojson`, the site's GeoJSON (PostGIS), in site-name order."""
    return (Monument.objects.select_related("site", "organisation")
            .annotate(place_geojson=AsGeoJSON("site__geom", precision=6)).order_by("site__name_en"))


# Pages: monuments, tours and walking routes --------------------------------------------------------------------

def monuments_with_record() -> QuerySet[Monument]:
    """Monuments with their site and keeper, in name order."""
    return Monument.objects.select_related("site", "organisation").order_by("site__name_en")


def monument_by_id(monument_id: int) -> Monument | None:
    return monuments_with_record().filter(pk=monument_id).first()


def monument_record(monument: Monument) -> CulturalObject | None:
    """The monument's own record (its description, period, rights), if it has one and it is not withdrawn."""
    return objects_with_place().filter(monument=monument, describes_monument=True, deleted__isnull=True).first()


def monument_objects(monument: Monument) -> QuerySet[CulturalObject]:
    """The objects of a monument that are not its own record, not withdrawn, in title order."""
    return (objects_with_place().filter(monument=monument, describes_monument=False, deleted__isnull=True)
            .order_by("title_en", "title_el", "id"))


def tours_including(monument: Monument) -> QuerySet[Tour]:
    """The tours with a scene of this monument."""
    return Tour.objects.filter(scenes__monument=monument).distinct().order_by("title_en")


def routes_including(monument: Monument) -> QuerySet[Route]:
    """The routes that stop at this monument, at one of its objects or at a panorama of it."""
    return (Route.objects.filter(Q(stops__monument=monument) | Q(stops__cultural_object__monument=monument)
                                 | Q(stops__scene__monument=monument)).distinct().order_by("title_en"))


def tours() -> QuerySet[Tour]:
    return Tour.objects.order_by("title_en")


def routes() -> QuerySet[Route]:
    return Route.objects.order_by("title_en")


def tour_by_slug(slug: str) -> Tour | None:
    """The tour with its scenes in order, each with its panorama, monument and hotspots."""
    return (Tour.objects.prefetch_related(
        Prefetch("scenes", queryset=TourScene.objects.select_related("panorama__cultural_object", "monument__site")
                 .prefetch_related(Prefetch("hotspots", queryset=TourHotspot.objects.select_related(
                     "target_scene", "target_object")))))
            .filter(slug=slug).first())


def route_by_slug(slug: str) -> Route | None:
    """The route with its stops in order, each with `point`: its monument's site, its panorama's place, or a point on
    its object's place (or the object's monument's site)."""
    stops = (RouteStop.objects.select_related("monument__site", "cultural_object", "scene__tour", "audio_el",
                                              "audio_en")
             .annotate(point=PointOnSurface(Coalesce(
                 "monument__site__geom", "scene__place", "cultural_object__place",
                 "cultural_object__monument__site__geom", output_field=GeometryField(srid=4326))))
             .order_by("position"))
    return Route.objects.prefetch_related(Prefetch("stops", queryset=stops)).filter(slug=slug).first()


def scenes_of_objects(object_ids: list[int]) -> QuerySet[TourScene]:
    """The tour scenes whose panoramas are files of these objects, with their tours, in tour and scene order."""
    return (TourScene.objects.filter(panorama__cultural_object_id__in=object_ids)
            .select_related("tour", "panorama").order_by("tour__slug", "position"))


def model_of_object(identifier: str) -> tuple[CulturalObject, MediaFile] | None:
    """A 3D object (edm:type 3D, not withdrawn) and its first glTF file; None when there is no such object."""
    obj = objects_with_place().filter(identifier=identifier, edm_type="3D", deleted__isnull=True).first()
    if obj is None:
        return None
    model = next((m for m in obj.media.all() if m.mime in GLTF_TYPES), None)
    return (obj, model) if model is not None else None


GLTF_TYPES = ("model/gltf-binary", "model/gltf+json")


# --- condition reports: residents' reports of damage to a monument, read through the reports' own selectors ----

def condition_reports_for(monument: Monument, *, user=None):
    """The reports of damage to this monument (the categories in settings.HERITAGE_CONDITION_CATEGORIES) placed inside
    its footprint or within settings.HERITAGE_CONDITION_REPORT_METRES of it, or naming it in their `monument` field;
    newest first. With `user`, only those that user may read in the workspace (none for residents)."""
    site = monument.site
    reports = reports_at_place(service_codes=settings.HERITAGE_CONDITION_CATEGORIES, place=site.footprint or site.geom,
                               within_m=settings.HERITAGE_CONDITION_REPORT_METRES, attribute=("monument", site.slug))
    if user is not None:
        reports = reports.filter(department__in=readable_departments(user))
    return reports
