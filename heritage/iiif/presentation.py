"""IIIF Presentation API 3.0 documents: a Manifest per cultural object (a Canvas per image, painted by its IIIF
image service), Collections per monument (site) and per organisation, and the two Collections that list those.
Labels and metadata are language maps in Greek and English; `rights` is the object's rights URI,
`requiredStatement` its attribution, and `navPlace` (the navPlace extension, whose JSON-LD context comes before
the Presentation 3 one) the object's place, or its site's, as GeoJSON from PostGIS."""
import json
from collections.abc import Callable, Iterable

from urllib.parse import quote

from django.conf import settings
from django.urls import reverse

from ..models import CulturalObject, Monument, Organisation
from ..vocabularies import KINDS, PERIODS
from . import pyramids

NAVPLACE_CONTEXT = "http://iiif.io/api/extension/navplace/context.json"
PRESENTATION_CONTEXT = "http://iiif.io/api/presentation/3/context.json"
CONTEXT = [NAVPLACE_CONTEXT, PRESENTATION_CONTEXT]
MEDIA_TYPE = f'application/ld+json;profile="{PRESENTATION_CONTEXT}"'



class Url:
    """Absolute URLs under the address a request came to: url(route name, **kwargs), url.absolute(path)."""

    def __init__(self, build_absolute_uri: Callable[[str], str]):
        self.build_absolute_uri = build_absolute_uri

    def __call__(self, name: str, **kwargs) -> str:
        return self.build_absolute_uri(reverse(name, kwargs=kwargs))

    def absolute(self, path: str) -> str:
        return self.build_absolute_uri(path)


def language_map(el: str = "", en: str = "") -> dict[str, list[str]]:
    """{"el": [...], "en": [...]}; a text given in one language only stands for both."""
    el, en = (el or "").strip(), (en or "").strip()
    return {"el": [el or en], "en": [en or el]}


def _entry(label_el: str, label_en: str, value_el: str, value_en: str | None = None) -> dict:
    return {"label": language_map(label_el, label_en), "value": language_map(value_el, value_en or value_el)}


def _nav_place(geojson: str | None, label: dict, feature_id: str) -> dict | None:
    if not geojson:
        return None
    return {"id": f"{feature_id}#place", "type": "FeatureCollection", "features": [
        {"id": f"{feature_id}#place-feature", "type": "Feature", "properties": {"label": label},
         "geometry": json.loads(geojson)}]}


def _image_service(url: Url, identifier: str) -> dict:
    return {"id": url("iiif-image-base", identifier=identifier), "type": "ImageService3", "profile": "level0"}


def canvases(obj: CulturalObject, url: Url, manifest_id: str) -> list[dict]:
    """A Canvas per image of the object: its pyramid's size and image service, or the file itself (no service)
    while its pyramid is not made yet."""
    listed = []
    for media in obj.media.all():
        if not media.mime.startswith("image/"):
            continue
        number = media.position + 1
        identifier = pyramids.image_identifier(obj.identifier, media.position)
        info = pyramids.read_info(identifier)
        canvas_id = f"{manifest_id.removesuffix('/manifest')}/canvas/{number}"
        if info is not None:
            width, height = info["width"], info["height"]
            largest = info["sizes"][-1]
            body = {"id": f"{url('iiif-image-base', identifier=identifier)}/full/max/0/default.jpg", "type": "Image",
                    "format": "image/jpeg", "width": largest["width"], "height": largest["height"],
                    "service": [_image_service(url, identifier)]}
        elif media.width and media.height:
            width, height = media.width, media.height
            body = {"id": media_url(url, media.path), "type": "Image", "format": media.mime, "width": width,
                    "height": height}
        else:
            continue
        listed.append({
            "id": canvas_id, "type": "Canvas", "width": width, "height": height,
            "label": language_map(f"{obj.title_el or obj.title_en} – εικόνα {number}",
                                  f"{obj.title_en or obj.title_el} – image {number}"),
            "items": [{"id": f"{canvas_id}/page", "type": "AnnotationPage", "items": [
                {"id": f"{canvas_id}/page/image", "type": "Annotation", "motivation": "painting", "target": canvas_id,
                 "body": body}]}],
        })
    return listed


def media_url(url: Url, path: str) -> str:
    return url.absolute(f"/{settings.MEDIA_URL.strip('/')}/{quote(path)}")


def _thumbnail(url: Url, obj: CulturalObject) -> list[dict]:
    for media in obj.media.all():
        identifier = pyramids.image_identifier(obj.identifier, media.position)
        info = pyramids.read_info(identifier) if media.mime.startswith("image/") else None
        if info is not None:
            small = next((s for s in info["sizes"] if max(s["width"], s["height"]) >= 200), info["sizes"][-1])
            return [{"id": f"{url('iiif-image-base', identifier=identifier)}/full/{small['width']},{small['height']}"
                           f"/0/default.jpg", "type": "Image", "format": "image/jpeg", "width": small["width"],
                     "height": small["height"], "service": [_image_service(url, identifier)]}]
    return []


def manifest(obj: CulturalObject, url: Url) -> dict:
    """The object's Manifest; `obj` from selectors.object_for_manifest (with `place_geojson`)."""
    manifest_id = url("iiif-manifest", identifier=obj.identifier)
    label = language_map(obj.title_el, obj.title_en)
    metadata = [_entry("Είδος", "Type", *KINDS[obj.kind])]
    if obj.creator:
        metadata.append(_entry("Δημιουργός", "Creator", obj.creator))
    if obj.date:
        metadata.append(_entry("Χρονολογία", "Date", obj.date))
    if obj.period:
        metadata.append(_entry("Περίοδος", "Period", PERIODS[obj.period].label_el, PERIODS[obj.period].label_en))
    metadata.append(_entry("Θέματα", "Subjects", "; ".join(obj.subjects)))
    metadata.append(_entry("Φορέας", "Organisation", obj.organisation.name_el, obj.organisation.name_en))
    if obj.monument is not None:
        metadata.append(_entry("Μνημείο", "Monument", obj.monument.site.name_el, obj.monument.site.name_en))
    document = {
        "@context": CONTEXT, "id": manifest_id, "type": "Manifest", "label": label,
        "metadata": metadata,
        "rights": obj.rights,
        "requiredStatement": {"label": language_map("Απόδοση", "Attribution"), "value": {"none": [obj.attribution]}},
        "provider": [{"id": url("iiif-collection-organisation", slug=obj.organisation.slug), "type": "Agent",
                      "label": language_map(obj.organisation.name_el, obj.organisation.name_en),
                      **({"homepage": [{"id": obj.organisation.website, "type": "Text", "format": "text/html",
                                        "label": language_map(obj.organisation.name_el, obj.organisation.name_en)}]}
                         if obj.organisation.website else {})}],
        "homepage": [{"id": url("heritage-object-page", identifier=obj.identifier), "type": "Text",
                      "format": "text/html", "label": label}],
        "seeAlso": [{"id": url("heritage-object", identifier=obj.identifier), "type": "Dataset",
                     "format": "application/json", "label": language_map("Η εγγραφή (JSON)", "The record (JSON)")}],
        "partOf": [{"id": url("iiif-collection-organisation", slug=obj.organisation.slug), "type": "Collection"}],
        "items": canvases(obj, url, manifest_id),
    }
    if obj.description_el or obj.description_en:
        document["summary"] = language_map(obj.description_el, obj.description_en)
    if obj.monument is not None:
        document["partOf"].insert(0, {"id": url("iiif-collection-site", slug=obj.monument.site.slug), "type": "Collection"})
    if thumbnail := _thumbnail(url, obj):
        document["thumbnail"] = thumbnail
    if nav_place := _nav_place(obj.place_geojson, label, manifest_id):
        document["navPlace"] = nav_place
    return document


def _manifest_refs(objects: Iterable[CulturalObject], url: Url) -> list[dict]:
    refs = []
    for obj in objects:
        if not any(m.mime.startswith("image/") for m in obj.media.all()):
            continue
        ref = {"id": url("iiif-manifest", identifier=obj.identifier), "type": "Manifest",
               "label": language_map(obj.title_el, obj.title_en)}
        if thumbnail := _thumbnail(url, obj):
            ref["thumbnail"] = thumbnail
        refs.append(ref)
    return refs


def site_collection(monument: Monument, objects: Iterable[CulturalObject], url: Url) -> dict:
    """The manifests of a monument's objects, its own record first; `monument` with `place_geojson`."""
    collection_id = url("iiif-collection-site", slug=monument.site.slug)
    label = language_map(monument.site.name_el, monument.site.name_en)
    document = {
        "@context": CONTEXT, "id": collection_id, "type": "Collection", "label": label,
        "summary": language_map(f"Τα ψηφιοποιημένα τεκμήρια του μνημείου {monument.site.name_el}",
                                f"The digitised records of {monument.site.name_en}"),
        "partOf": [{"id": url("iiif-collection-sites"), "type": "Collection"}],
        "items": _manifest_refs(sorted(objects, key=lambda o: not o.describes_monument), url),
    }
    if nav_place := _nav_place(monument.place_geojson, label, collection_id):
        document["navPlace"] = nav_place
    return document


def organisation_collection(organisation: Organisation, objects: Iterable[CulturalObject], url: Url) -> dict:
    label = language_map(organisation.name_el, organisation.name_en)
    return {
        "@context": CONTEXT, "id": url("iiif-collection-organisation", slug=organisation.slug), "type": "Collection",
        "label": label,
        "summary": language_map(f"Τα ψηφιοποιημένα τεκμήρια του φορέα {organisation.name_el}",
                                f"The digitised records of the {organisation.name_en}"),
        "partOf": [{"id": url("iiif-collection-organisations"), "type": "Collection"}],
        "items": _manifest_refs(objects, url),
    }


def collections_of(kind: str, entries: list[tuple[str, str, str]], url: Url) -> dict:
    """The Collection of the site collections (kind "sites") or of the organisation collections ("organisations");
    entries are (slug, label in Greek, label in English)."""
    route = {"sites": "iiif-collection-site", "organisations": "iiif-collection-organisation"}[kind]
    labels = {"sites": ("Μνημεία της Θεσσαλονίκης", "Monuments of Thessaloniki"),
              "organisations": ("Φορείς πολιτιστικής κληρονομιάς", "Cultural heritage organisations")}[kind]
    return {
        "@context": CONTEXT, "id": url(f"iiif-collection-{kind}"), "type": "Collection",
        "label": language_map(*labels),
        "requiredStatement": {"label": language_map("Διάθεση", "Provider"),
                              "value": {"none": [settings.HERITAGE_EDM_PROVIDER]}},
        "items": [{"id": url(route, slug=slug), "type": "Collection", "label": language_map(el, en)}
                  for slug, el, en in entries],
    }
