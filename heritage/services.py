"""Writes of heritage records: organisations, monuments, cultural objects (saved whole, or withdrawn as tombstones)."""
import functools
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.contrib.gis.geos import GEOSGeometry
from django.db import transaction
from django.utils import timezone

from layers.models import HeritageSite

from .errors import HeritageError
from .iiif import pyramids
from .models import CulturalObject, MediaFile, Monument, Organisation, SameAs
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
