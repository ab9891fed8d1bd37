"""Writes of heritage records: organisations, monuments, cultural objects (saved whole, or withdrawn as tombstones)."""
import functools
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.contrib.gis.geos import GEOSGeometry
from django.db import models, transaction
from django.utils import timezone

from layers.models import HeritageSite

from .errors import HeritageError
from .iiif import pyramids
from .models import (CulturalObject, MediaFile, Monument, Organisation, Route, RouteStop, SameAs, Tour, TourHotspot,
                     TourScene)
from .vocabularies import EDM_TYPES, KINDS, PERIODS, object_date, rights_uri, same_as_identifier

_SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,118}[a-z0-9])?$")
_MIME = re.compile(r"^[a-z]+/[a-z0-9][a-z0-9.+-]*$")
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SameAsLink:
    scheme: str
    identifier: str
    source: str = ""


@dataclass(frozen=True)
class MediaInput:
    path: str
    mime: str
    width: int | None = None
    height: int | None = None
    attribution: str = ""


def organisation_upsert(*, slug: str, name_el: str, name_en: str, kind: str, website: str = "",
                        place: GEOSGeometry | None = None, provenance: str = "") -> tuple[Organisation, bool]:
    """Create the organisation, or update the one with this slug; (organisation, created)."""
    if not _SLUG.match(slug or ""):
        raise HeritageError("slug", f"must be lower-case letters, digits and hyphens; got {slug!r}")
    if kind not in Organisation.Kind.values:
        raise HeritageError("kind", f"must be one of {', '.join(Organisation.Kind.values)}; got {kind!r}")
    if not (name_el or "").strip() or not (name_en or "").strip():
        raise HeritageError("name", "give the organisation's name in Greek and in English")
    values = {"name_el": name_el.strip(), "name_en": name_en.strip(), "kind": kind, "website": website,
              "place": _place(place) if place is not None else None, "provenance": provenance}
    with transaction.atomic():
        organisation = Organisation.objects.select_for_update().filter(slug=slug).first()
        if organisation is None:
            return Organisation.objects.create(slug=slug, **values), True
        if _differs(organisation, values):
            for name, value in values.items():
                setattr(organisation, name, value)
            organisation.save()
        return organisation, False


def monument_for_site(*, site: HeritageSite, organisation: Organisation | None = None) -> Monument:
    """The monument of a heritage site, made on first use; its organisation set when one is given."""
    with transaction.atomic():
        monument, _ = Monument.objects.get_or_create(site=site)
        if organisation is not None and monument.organisation_id != organisation.pk:
            monument.organisation = organisation
            monument.save(update_fields=["organisation", "modified"])
        return monument


def cultural_object_save(
    *, identifier: str, organisation: Organisation, kind: str, edm_type: str, rights: str, attribution: str,
    title_el: str = "", title_en: str = "", description_el: str = "", description_en: str = "",
    subjects: Sequence[str] = (), period: str = "", date: str = "", place: GEOSGeometry | None = None,
    monument: Monument | None = None, describes_monument: bool = False, creator: str = "", provenance: str = "",
    same_as: Sequence[SameAsLink] = (), media: Sequence[MediaInput] = (),
) -> tuple[CulturalObject, str]:
    """Create or replace the object with this identifier, its same-as links and media, in one transaction;
    (object, "created" | "updated" | "unchanged"). A withdrawn object saved again comes back. Its change time
    moves only when something changed, so a harvester is not sent an unchanged record again."""
    if not _SLUG.match(identifier or ""):
        raise HeritageError("identifier", f"must be lower-case letters, digits and hyphens; got {identifier!r}")
    if kind not in KINDS:
        raise HeritageError("kind", f"must be one of {', '.join(KINDS)}; got {kind!r}")
    if edm_type not in EDM_TYPES:
        raise HeritageError("edm_type", f"must be one of {', '.join(EDM_TYPES)}; got {edm_type!r}")
    if period and period not in PERIODS:
        raise HeritageError("period", f"must be one of {', '.join(PERIODS)}; got {period!r}")
    title_el, title_en = (title_el or "").strip(), (title_en or "").strip()
    if not title_el and not title_en:
        raise HeritageError("title", "give a title in Greek or English")
    subjects = [subject.strip() for subject in subjects if subject and subject.strip()]
    if not subjects:
        raise HeritageError("subjects", "give at least one subject (what or whom the object is about)")
    if too_long := next((s for s in subjects if len(s) > 120), None):
        raise HeritageError("subjects", f"a subject is at most 120 characters; {too_long[:40]!r}… is longer")
    date = object_date(date)
    if not period and not date:
        raise HeritageError("date", "give a date (YYYY, YYYY-MM or YYYY-MM-DD) or a period")
    if place is None and monument is None:
        raise HeritageError("place", "give the object a place of its own or the monument it belongs to")
    if describes_monument and monument is None:
        raise HeritageError("monument", "a monument's own record names its monument")
    if not (attribution or "").strip():
        raise HeritageError("attribution", "give a credit line (author, title, licence, source)")
    values = {
        "organisation": organisation, "monument": monument, "describes_monument": describes_monument, "kind": kind,
        "edm_type": edm_type, "title_el": title_el, "title_en": title_en,
        "description_el": (description_el or "").strip(), "description_en": (description_en or "").strip(),
        "subjects": subjects, "period": period, "date": date, "place": _place(place) if place is not None else None,
        "creator": (creator or "").strip(), "rights": rights_uri(rights), "attribution": attribution.strip(),
        "provenance": provenance, "deleted": None,
    }
    links = sorted({(link.scheme, same_as_identifier(link.scheme, link.identifier), link.source) for link in same_as})
    files = [_media(item, index) for index, item in enumerate(media)]

    with transaction.atomic():
        obj = CulturalObject.objects.select_for_update().filter(identifier=identifier).first()
        outcome = "created" if obj is None else "unchanged"
        if obj is None:
            obj = CulturalObject(identifier=identifier)
        elif _differs(obj, values):
            outcome = "updated"
        elif (links != sorted((s.scheme, s.identifier, s.source) for s in obj.same_as.all())
              or files != [_media_key(m) for m in obj.media.all()]):
            outcome = "updated"
        # its images are cut into IIIF pyramids once the record is committed (never for a dry run)
        transaction.on_commit(functools.partial(_pyramids_after_commit, obj.identifier))
        if outcome == "unchanged":
            return obj, outcome
        for name, value in values.items():
            setattr(obj, name, value)
        obj.save()  # the change time moves (auto_now)
        obj.same_as.all().delete()
        SameAs.objects.bulk_create(SameAs(cultural_object=obj, scheme=s, identifier=i, source=src) for s, i, src in links)
        obj.media.all().delete()
        MediaFile.objects.bulk_create(MediaFile(cultural_object=obj, path=p, mime=m, width=w, height=h,
                                                attribution=a, position=pos) for p, m, w, h, a, pos in files)
        return obj, outcome


def media_pyramids_ingest(*, identifier: str) -> dict[str, int]:
    """Cut each image of the object into its IIIF level-0 pyramid (libvips), unless the pyramid was already made
    from the same file; pyramids of images the object no longer has are removed. Counts: made, current, missing
    (a file not under MEDIA_ROOT). An image libvips cannot read is refused, naming the file."""
    import pyvips

    counts = {"made": 0, "current": 0, "missing": 0}
    obj = CulturalObject.objects.filter(identifier=identifier).first()
    if obj is None:
        raise HeritageError("identifier", f"no cultural object {identifier!r}")
    images = [m for m in obj.media.all() if m.mime.startswith("image/")] if obj.deleted is None else []
    kept = set()
    for media in images:
        name = pyramids.image_identifier(obj.identifier, media.position)
        kept.add(name)
        source = Path(settings.MEDIA_ROOT) / media.path
        if not source.is_file():
            counts["missing"] += 1
            continue
        if pyramids.is_current(source, name, obj.rights):
            counts["current"] += 1
            continue
        try:
            pyramids.build(source, name, rights=obj.rights)
        except pyvips.Error as error:
            raise HeritageError("media", f"{media.path}: not an image libvips can read ({str(error).strip()[:200]})")
        counts["made"] += 1
    position = 0
    while (name := pyramids.image_identifier(obj.identifier, position)) in kept or pyramids.pyramid_folder(name).exists():
        if name not in kept:
            pyramids.remove(name)
        position += 1
    return counts


def _pyramids_after_commit(identifier: str) -> None:
    try:
        media_pyramids_ingest(identifier=identifier)
    except HeritageError as error:
        logger.warning("IIIF pyramids of %s not made: %s", identifier, error)


def cultural_object_withdraw(*, identifier: str) -> CulturalObject:
    """Withdraw an object: it stays as a tombstone that harvesters see as deleted, and its change time moves."""
    with transaction.atomic():
        obj = CulturalObject.objects.select_for_update().filter(identifier=identifier).first()
        if obj is None:
            raise HeritageError("identifier", f"no cultural object {identifier!r}")
        if obj.deleted is None:
            obj.deleted = timezone.now()
            obj.save(update_fields=["deleted", "modified"])
        transaction.on_commit(functools.partial(_pyramids_after_commit, obj.identifier))  # its images withdrawn too
        return obj


def _place(place: GEOSGeometry) -> GEOSGeometry:
    """A valid geometry in WGS84 (transformed when it comes in another reference system)."""
    if not isinstance(place, GEOSGeometry):
        raise HeritageError("place", f"must be a geometry, got {type(place).__name__}")
    if place.srid is None:
        raise HeritageError("place", "has no reference system: give its SRID (4326 for lon/lat)")
    if not place.valid:
        raise HeritageError("place", f"is not a valid geometry: {place.valid_reason}")
    if place.srid != 4326:
        place = place.transform(4326, clone=True)
    xmin, ymin, xmax, ymax = place.extent
    if not (-180 <= xmin <= xmax <= 180 and -90 <= ymin <= ymax <= 90):
        raise HeritageError("place", "lies outside longitude -180..180 and latitude -90..90")
    return place


def _media(item: MediaInput, position: int) -> tuple:
    path = PurePosixPath(item.path or "")
    if not item.path or path.is_absolute() or ".." in path.parts:
        raise HeritageError("media", f"a file path is relative to the media folder, without '..'; got {item.path!r}")
    if not _MIME.match(item.mime or ""):
        raise HeritageError("media", f"{item.path}: give a media type such as image/jpeg; got {item.mime!r}")
    for name in ("width", "height"):
        value = getattr(item, name)
        if value is not None and (not isinstance(value, int) or value <= 0):
            raise HeritageError("media", f"{item.path}: {name} must be a positive whole number of pixels; got {value!r}")
    return (str(path), item.mime, item.width, item.height, (item.attribution or "").strip(), position)


def _media_key(media: MediaFile) -> tuple:
    return (media.path, media.mime, media.width, media.height, media.attribution, media.position)


def _differs(instance, values: dict) -> bool:
    for name, value in values.items():
        current = getattr(instance, name)
        if isinstance(value, GEOSGeometry) or isinstance(current, GEOSGeometry):
            if (value is None) != (current is None) or (value is not None and not value.equals_exact(current, 1e-9)):
                return True
        elif current != value:
            return True
    return False


# Tours and walking routes ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class SceneInput:
    """A scene of a tour: its slug, titles, the panorama (a media file of a panorama object), where it was taken."""

    slug: str
    title_el: str
    title_en: str
    panorama: MediaFile
    place: GEOSGeometry
    monument: Monument | None = None
    description_el: str = ""
    description_en: str = ""
    yaw: float = 0
    pitch: float = 0


@dataclass(frozen=True)
class HotspotInput:
    """A hotspot of a scene (by the scene's slug): where in the panorama, and where it leads: a scene of the same
    tour (its slug) or a cultural object."""

    scene: str
    yaw: float
    pitch: float
    label_el: str
    label_en: str
    target_scene: str = ""
    target_object: CulturalObject | None = None


@dataclass(frozen=True)
class StopInput:
    """A stop of a route: exactly one of a monument, an object or a tour's scene; text and audio in both languages."""

    title_el: str
    title_en: str
    monument: Monument | None = None
    cultural_object: CulturalObject | None = None
    scene: TourScene | None = None
    text_el: str = ""
    text_en: str = ""
    audio_el: MediaFile | None = None
    audio_en: MediaFile | None = None


def _titles(title_el: str, title_en: str, field: str = "title") -> tuple[str, str]:
    title_el, title_en = (title_el or "").strip(), (title_en or "").strip()
    if not title_el or not title_en:
        raise HeritageError(field, f"give the {field} in Greek and in English")
    return title_el, title_en


def _view_angles(yaw: float, pitch: float, field: str) -> None:
    if not -180 <= yaw <= 180:
        raise HeritageError(field, f"yaw is in degrees from -180 to 180; got {yaw}")
    if not -90 <= pitch <= 90:
        raise HeritageError(field, f"pitch is in degrees from -90 to 90; got {pitch}")


def tour_save(*, slug: str, title_el: str, title_en: str, scenes: Sequence[SceneInput],
              hotspots: Sequence[HotspotInput] = (), description_el: str = "", description_en: str = "",
              provenance: str = "") -> Tour:
    """Create or replace the tour with this slug, its scenes (in the order given) and their hotspots, in one
    transaction. A hotspot leads to a scene of this tour only; a panorama is a media file of a panorama object."""
    if not _SLUG.match(slug or ""):
        raise HeritageError("slug", f"must be lower-case letters, digits and hyphens; got {slug!r}")
    title_el, title_en = _titles(title_el, title_en)
    if not scenes:
        raise HeritageError("scenes", "a tour has at least one scene")
    slugs = [scene.slug for scene in scenes]
    if duplicate := next((s for s in slugs if slugs.count(s) > 1), None):
        raise HeritageError("scenes", f"each scene of a tour has its own slug; {duplicate!r} is given twice")
    for scene in scenes:
        if not _SLUG.match(scene.slug or ""):
            raise HeritageError("scenes", f"a scene's slug is lower-case letters, digits and hyphens; got {scene.slug!r}")
        _titles(scene.title_el, scene.title_en, "scenes")
        if scene.panorama.cultural_object.kind != "panorama" or not scene.panorama.mime.startswith("image/"):
            raise HeritageError("scenes", f"scene {scene.slug}: the panorama must be an image of a panorama object; "
                                          f"{scene.panorama.path} is a {scene.panorama.cultural_object.kind}'s "
                                          f"{scene.panorama.mime}")
        if scene.place.geom_type != "Point":
            raise HeritageError("scenes", f"scene {scene.slug}: its place is the point it was taken from")
        _view_angles(scene.yaw, scene.pitch, "scenes")
    for hotspot in hotspots:
        if hotspot.scene not in slugs:
            raise HeritageError("hotspots", f"a hotspot is on a scene of this tour; there is no scene {hotspot.scene!r}")
        if bool(hotspot.target_scene) == (hotspot.target_object is not None):
            raise HeritageError("hotspots", "a hotspot leads to one scene or to one object")
        if hotspot.target_scene and hotspot.target_scene not in slugs:
            raise HeritageError("hotspots", f"a hotspot leads to a scene of the same tour; {slug} has no scene "
                                            f"{hotspot.target_scene!r}")
        _view_angles(hotspot.yaw, hotspot.pitch, "hotspots")
        _titles(hotspot.label_el, hotspot.label_en, "hotspots")
    values = {"title_el": title_el, "title_en": title_en, "description_el": (description_el or "").strip(),
              "description_en": (description_en or "").strip(), "provenance": provenance}
    with transaction.atomic():
        tour = Tour.objects.select_for_update().filter(slug=slug).first()
        if tour is not None and not _differs(tour, values) and _tour_key(tour) == _tour_key_of(scenes, hotspots):
            return tour  # unchanged: its change time stays
        tour, _ = Tour.objects.update_or_create(slug=slug, defaults=values)
        kept = {scene.slug: scene for scene in tour.scenes.all()}
        TourHotspot.objects.filter(scene__tour=tour).delete()
        # positions move out of the way first, so a new order never meets the old one's unique positions
        tour.scenes.update(position=models.F("position") + 10000)
        saved = {}
        for position, item in enumerate(scenes):
            scene = kept.pop(item.slug, None) or TourScene(tour=tour, slug=item.slug)
            for name in ("title_el", "title_en", "description_el", "description_en", "panorama", "monument", "yaw",
                         "pitch"):
                setattr(scene, name, getattr(item, name))
            scene.place, scene.position = _place(item.place), position
            scene.save()
            saved[item.slug] = scene
        for scene in kept.values():
            if scene.route_stops.exists():
                raise HeritageError("scenes", f"scene {scene.slug} is a stop of a route; keep it or change the route first")
            scene.delete()
        TourHotspot.objects.bulk_create(TourHotspot(
            scene=saved[h.scene], yaw=h.yaw, pitch=h.pitch, target_scene=saved.get(h.target_scene),
            target_object=h.target_object, label_el=h.label_el.strip(), label_en=h.label_en.strip()) for h in hotspots)
        tour.save()  # the change time moves
        return tour


def tour_hotspot_add(*, scene: TourScene, yaw: float, pitch: float, label_el: str, label_en: str,
                     target_scene: TourScene | None = None, target_object: CulturalObject | None = None) -> TourHotspot:
    """Add a hotspot to a scene: to another scene of the same tour, or to an object."""
    if (target_scene is None) == (target_object is None):
        raise HeritageError("target", "a hotspot leads to one scene or to one object")
    if target_scene is not None and target_scene.tour_id != scene.tour_id:
        raise HeritageError("target_scene", f"a hotspot leads to a scene of the same tour ({scene.tour.slug}); "
                                            f"{target_scene} is in another tour")
    if target_scene is not None and target_scene.pk == scene.pk:
        raise HeritageError("target_scene", "a hotspot leads to another scene, not to the one it is on")
    _view_angles(yaw, pitch, "yaw")
    label_el, label_en = _titles(label_el, label_en, "label")
    with transaction.atomic():
        hotspot = TourHotspot.objects.create(scene=scene, yaw=yaw, pitch=pitch, label_el=label_el, label_en=label_en,
                                             target_scene=target_scene, target_object=target_object)
        Tour.objects.filter(pk=scene.tour_id).update(modified=timezone.now())
        return hotspot


def route_save(*, slug: str, title_el: str, title_en: str, line: GEOSGeometry, stops: Sequence[StopInput],
               description_el: str = "", description_en: str = "", provenance: str = "") -> Route:
    """Create or replace the walking route with this slug and its stops (in the order given), in one transaction."""
    if not _SLUG.match(slug or ""):
        raise HeritageError("slug", f"must be lower-case letters, digits and hyphens; got {slug!r}")
    title_el, title_en = _titles(title_el, title_en)
    if not isinstance(line, GEOSGeometry) or line.geom_type != "LineString":
        raise HeritageError("geom", "a route is a line (a LineString) on the map")
    line = _place(line)
    if line.num_points < 2:
        raise HeritageError("geom", "a route's line has at least two points")
    if not stops:
        raise HeritageError("stops", "a route has at least one stop")
    for number, stop in enumerate(stops, start=1):
        if sum(x is not None for x in (stop.monument, stop.cultural_object, stop.scene)) != 1:
            raise HeritageError("stops", f"stop {number}: give exactly one of a monument, an object or a panorama")
        _titles(stop.title_el, stop.title_en, "stops")
        for audio in (stop.audio_el, stop.audio_en):
            if audio is not None and not audio.mime.startswith("audio/"):
                raise HeritageError("stops", f"stop {number}: its audio is a sound file; {audio.path} is {audio.mime}")
    values = {"title_el": title_el, "title_en": title_en, "geom": line, "provenance": provenance,
              "description_el": (description_el or "").strip(), "description_en": (description_en or "").strip()}
    with transaction.atomic():
        route = Route.objects.select_for_update().filter(slug=slug).first()
        if route is not None and not _differs(route, values) and _stops_key(route.stops.all()) == _stops_key(stops):
            return route  # unchanged: its change time and its layer's change stamp stay
        route, _ = Route.objects.update_or_create(slug=slug, defaults=values)
        route.stops.all().delete()
        RouteStop.objects.bulk_create(RouteStop(
            route=route, position=position, monument=s.monument, cultural_object=s.cultural_object, scene=s.scene,
            title_el=s.title_el.strip(), title_en=s.title_en.strip(), text_el=(s.text_el or "").strip(),
            text_en=(s.text_en or "").strip(), audio_el=s.audio_el, audio_en=s.audio_en)
            for position, s in enumerate(stops, start=1))
        return route


_SCENE_FIELDS = ("slug", "title_el", "title_en", "description_el", "description_en", "panorama_id", "monument_id",
                 "yaw", "pitch")
_STOP_FIELDS = ("monument_id", "cultural_object_id", "scene_id", "title_el", "title_en", "text_el", "text_en",
                "audio_el_id", "audio_en_id")


def _ids(item, names: tuple[str, ...]) -> tuple:
    """The fields of a stored row or of an input, foreign keys as ids (an input holds the objects)."""
    values = []
    for name in names:
        if name.endswith("_id") and not hasattr(item, name):
            related = getattr(item, name[:-3])
            values.append(related.pk if related is not None else None)
        else:
            value = getattr(item, name)
            values.append(value.strip() if isinstance(value, str) else value)
    return tuple(values)


def _tour_key(tour: Tour) -> tuple:
    scenes = list(tour.scenes.order_by("position"))
    slugs = {scene.pk: scene.slug for scene in scenes}
    hotspots = sorted((slugs[h.scene_id], h.yaw, h.pitch, slugs.get(h.target_scene_id, ""), h.target_object_id,
                       h.label_el, h.label_en) for h in TourHotspot.objects.filter(scene__tour=tour))
    return ([_ids(scene, _SCENE_FIELDS) + (scene.place.coords,) for scene in scenes], hotspots)


def _tour_key_of(scenes: Sequence[SceneInput], hotspots: Sequence[HotspotInput]) -> tuple:
    return ([_ids(scene, _SCENE_FIELDS) + (_place(scene.place).coords,) for scene in scenes],
            sorted((h.scene, h.yaw, h.pitch, h.target_scene, h.target_object.pk if h.target_object else None,
                    h.label_el.strip(), h.label_en.strip()) for h in hotspots))


def _stops_key(stops) -> list[tuple]:
    return [_ids(stop, _STOP_FIELDS) for stop in stops]
