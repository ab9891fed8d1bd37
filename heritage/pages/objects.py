"""The object page (deep zoom of its IIIF images with OpenSeadragon, its metadata, rights, how to cite it and
downloads) and the compare page (two objects side by side in Mirador, from their IIIF manifests). Greek and
English; the pages read through the selectors and write nothing."""
from csp.decorators import csp_update
from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core.i18n import localized, page_language

from .. import selectors
from ..iiif import pyramids
from ..vocabularies import KINDS, PERIODS, rights_label, same_as_uri


def _images(obj) -> list[dict]:
    """Each image of the object with its IIIF service (when its pyramid is made) and its file."""
    listed = []
    for media in obj.media.all():
        if not media.mime.startswith("image/"):
            continue
        identifier = pyramids.image_identifier(obj.identifier, media.position)
        info = pyramids.read_info(identifier)
        base = reverse("iiif-image-base", kwargs={"identifier": identifier})
        listed.append({
            "number": media.position + 1, "file": f"/{settings.MEDIA_URL.strip('/')}/{media.path}", "mime": media.mime,
            "info": f"{base}/info.json" if info else None,
            "full": f"{base}/full/max/0/default.jpg" if info else None,
            "width": info["width"] if info else media.width, "height": info["height"] if info else media.height,
        })
    return listed


def citation(obj, page_url: str) -> str:
    """A ready citation: creator, title, date or period, organisation, rights, address and the day it was read."""
    when = obj.date or (PERIODS[obj.period].label_el if page_language() == "el" else PERIODS[obj.period].label_en)
    rights = rights_label(obj.rights)[0 if page_language() == "el" else 1]
    parts = [obj.creator, f"{localized(obj, 'title')} ({when})", localized(obj.organisation, "name"), rights,
             _("%(url)s (accessed %(day)s)") % {"url": page_url, "day": timezone.localdate().isoformat()}]
    return ". ".join(part.rstrip(".") for part in parts if part) + "."


@require_GET
def object_page(request, identifier: str):
    """/heritage/objects/<identifier>/ : the object's images in deep zoom, metadata, rights, citation, downloads."""
    obj = selectors.object_for_manifest(identifier)
    if obj is None or obj.deleted is not None:
        raise Http404(f"no cultural object {identifier!r}")
    language = 0 if page_language() == "el" else 1
    title = localized(obj, "title")
    images = _images(obj)
    description = localized(obj, "description")
    metadata = [(_("Type"), KINDS[obj.kind][language])]
    if obj.creator:
        metadata.append((_("Creator"), obj.creator))
    if obj.date:
        metadata.append((_("Date"), obj.date))
    if obj.period:
        metadata.append((_("Period"), (PERIODS[obj.period].label_el, PERIODS[obj.period].label_en)[language]))
    metadata.append((_("Subjects"), "; ".join(obj.subjects)))
    metadata.append((_("Organisation"), localized(obj.organisation, "name")))
    if obj.monument is not None:
        metadata.append((_("Monument"), localized(obj.monument.site, "name")))
    metadata.append((_("Identifier"), obj.identifier))
    page_url = request.build_absolute_uri()
    manifest = reverse("iiif-manifest", kwargs={"identifier": obj.identifier})
    oai_identifier = f"oai:{settings.HERITAGE_OAI_REPOSITORY_ID}:{obj.identifier}"
    oai = f"{reverse('oai-pmh')}?verb=GetRecord&metadataPrefix=edm&identifier={oai_identifier}"
    return render(request, "heritage/pages/object.html", {
        "obj": obj, "title": title, "description": description, "organisation_name": localized(obj.organisation, "name"),
        "metadata": metadata, "images": images,
        "rights_label": rights_label(obj.rights)[language], "citation": citation(obj, page_url),
        "same_as": [(link.get_scheme_display(), same_as_uri(link.scheme, link.identifier)) for link in obj.same_as.all()],
        "manifest": manifest if images else None, "oai": oai,
        "record": reverse("heritage-object", kwargs={"identifier": obj.identifier}),
        "page_config": {"tileSources": [image["info"] for image in images if image["info"]],
                        "title": title},
    })


def _comparable(identifier: str) -> tuple[object | None, str]:
    """(object, "") when the identifier names an object with an image to compare, else (None, what to fix)."""
    if not identifier:
        return None, _("choose an object")
    obj = selectors.object_for_manifest(identifier)
    if obj is None or obj.deleted is not None:
        return None, _("no object %(identifier)s: choose one from the list") % {"identifier": identifier[:80]}
    if not _images(obj):
        return None, _("%(title)s has no image to compare") % {"title": localized(obj, "title")}
    return obj, ""


# Mirador draws with MUI, whose styles (emotion) are <style> elements it writes at run time without a nonce: this
# page alone allows inline styles (only styles: scripts stay 'self' and nonce), and uses no nonce itself, which would
# make browsers ignore 'unsafe-inline'.
@csp_update({"style-src": ["'unsafe-inline'"]})
@require_GET
def compare_page(request):
    """/heritage/compare/?a=<identifier>&b=<identifier> : two objects side by side in Mirador; a bad or missing
    identifier is a 400 page that marks the field and says what to choose."""
    choices = [(o.identifier, localized(o, "title")) for o in selectors.public_objects()
               if any(m.mime.startswith("image/") for m in o.media.all())]
    fields, objects, status = [], [], 200
    for parameter, label in (("a", _("First object")), ("b", _("Second object"))):
        value = request.GET.get(parameter, "").strip()
        obj, error = _comparable(value) if "a" in request.GET or "b" in request.GET else (None, "")
        if error:
            status = 400
        fields.append({"name": parameter, "label": label, "value": value, "error": error})
        objects.append(obj)
    ready = all(objects)
    manifests = [reverse("iiif-manifest", kwargs={"identifier": o.identifier}) for o in objects] if ready else []
    return render(request, "heritage/pages/compare.html", {
        "fields": fields, "choices": choices, "objects": objects if ready else [],
        "titles": [localized(o, "title") for o in objects] if ready else [],
        "page_config": {"manifests": [request.build_absolute_uri(m) for m in manifests],
                        "language": page_language()} if ready else None,
    }, status=status)
