"""A cultural object's record as XML: Dublin Core (oai_dc) and the Europeana Data Model (edm: ProvidedCHO,
WebResources with their IIIF services and manifest, Place with its coordinates from PostGIS, TimeSpan, Aggregation). Values enter as element text and
attributes through lxml, never by building strings."""
from urllib.parse import quote

from django.conf import settings
from django.urls import reverse
from lxml import etree

from ..iiif import pyramids
from ..iiif.pyramids import IMAGE_PROTOCOL, LEVEL0_PROFILE
from ..models import CulturalObject
from ..vocabularies import KINDS, PERIODS, same_as_uri

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
NS = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
    "edm": "http://www.europeana.eu/schemas/edm/",
    "ore": "http://www.openarchives.org/ore/terms/",
    "owl": "http://www.w3.org/2002/07/owl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "wgs84_pos": "http://www.w3.org/2003/01/geo/wgs84_pos#",
    "ebucore": "http://www.ebu.ch/metadata/ontologies/ebucore/ebucore#",
    "svcs": "http://rdfs.org/sioc/services#",
    "doap": "http://usefulinc.com/ns/doap#",
    "xsi": "http://www.w3.org/2001/XMLSchema-instance",
}
OAI_DC = "http://www.openarchives.org/OAI/2.0/oai_dc/"
FORMATS = {
    "oai_dc": ("http://www.openarchives.org/OAI/2.0/oai_dc.xsd", OAI_DC),
    "edm": ("http://www.europeana.eu/schemas/edm/EDM.xsd", NS["edm"]),
}


class ResourceUris:
    """The URIs a record names, under the server's own address (`base`, without a trailing slash)."""

    def __init__(self, base: str):
        self.base = base.rstrip("/")

    def cho(self, obj: CulturalObject) -> str:
        return f"{self.base}/heritage/objects/{obj.identifier}"

    def shown_at(self, obj: CulturalObject) -> str:
        return f"{self.base}/api/heritage/objects/{obj.identifier}"

    def place(self, obj: CulturalObject) -> str:
        if obj.place is None and obj.monument is not None:  # the site's item in the OGC API
            return f"{self.base}/ogc/collections/heritage-sites/items/{quote(obj.monument.site.slug)}"
        return f"{self.cho(obj)}#place"

    def period(self, slug: str) -> str:
        return f"{self.base}/heritage/periods/{slug}"

    def media(self, path: str) -> str:
        return f"{self.base}/{settings.MEDIA_URL.strip('/')}/{quote(path)}"

    def image_service(self, identifier: str) -> str:
        return f"{self.base}{reverse('iiif-image-base', kwargs={'identifier': identifier})}"

    def manifest(self, obj: CulturalObject) -> str:
        return f"{self.base}{reverse('iiif-manifest', kwargs={'identifier': obj.identifier})}"


def _q(name: str) -> str:
    prefix, _, local = name.partition(":")
    return f"{{{NS[prefix]}}}{local}"


def _text(parent, name: str, value, lang: str | None = None):
    if value in (None, ""):
        return None
    element = etree.SubElement(parent, _q(name))
    element.text = str(value)
    if lang:
        element.set(XML_LANG, lang)
    return element


def _ref(parent, name: str, uri: str):
    element = etree.SubElement(parent, _q(name))
    element.set(_q("rdf:resource"), uri)
    return element


def _both(parent, name: str, el: str, en: str) -> None:
    _text(parent, name, el, "el")
    _text(parent, name, en, "en")


def oai_dc(obj: CulturalObject, uris: ResourceUris):
    """Simple Dublin Core, as every OAI-PMH repository must offer."""
    root = etree.Element(f"{{{OAI_DC}}}dc", nsmap={"oai_dc": OAI_DC, "dc": NS["dc"], "xsi": NS["xsi"]})
    root.set(_q("xsi:schemaLocation"), f"{OAI_DC} {FORMATS['oai_dc'][0]}")
    _both(root, "dc:title", obj.title_el, obj.title_en)
    _both(root, "dc:description", obj.description_el, obj.description_en)
    for subject in obj.subjects:
        _text(root, "dc:subject", subject)
    _both(root, "dc:type", *KINDS[obj.kind])
    _text(root, "dc:type", obj.edm_type)
    _text(root, "dc:date", obj.date)
    if obj.period:
        _both(root, "dc:coverage", PERIODS[obj.period].label_el, PERIODS[obj.period].label_en)
    _text(root, "dc:creator", obj.creator)
    _both(root, "dc:publisher", obj.organisation.name_el, obj.organisation.name_en)
    _text(root, "dc:identifier", uris.shown_at(obj))
    for link in obj.same_as.all():
        _text(root, "dc:relation", same_as_uri(link.scheme, link.identifier))
    _text(root, "dc:rights", obj.rights)
    return root


def edm(obj: CulturalObject, uris: ResourceUris):
    """The object in EDM as Europeana and SearchCulture.gr harvest it."""
    root = etree.Element(_q("rdf:RDF"), nsmap={k: v for k, v in NS.items() if k != "xsi"})
    cho_uri = uris.cho(obj)
    cho = etree.SubElement(root, _q("edm:ProvidedCHO"))
    cho.set(_q("rdf:about"), cho_uri)
    _both(cho, "dc:title", obj.title_el, obj.title_en)
    _both(cho, "dc:description", obj.description_el, obj.description_en)
    for subject in obj.subjects:
        _text(cho, "dc:subject", subject)
    _both(cho, "dc:type", *KINDS[obj.kind])
    _text(cho, "dc:creator", obj.creator)
    _text(cho, "dc:date", obj.date)
    _text(cho, "dc:identifier", obj.identifier)
    for link in obj.same_as.all():
        if link.scheme == "unesco":
            _text(cho, "dc:identifier", f"UNESCO World Heritage {link.identifier}")
            _ref(cho, "dcterms:isPartOf", same_as_uri(link.scheme, link.identifier))
        else:
            _ref(cho, "owl:sameAs", same_as_uri(link.scheme, link.identifier))
    if obj.period:
        _ref(cho, "dcterms:temporal", uris.period(obj.period))
    place_uri = uris.place(obj)
    _ref(cho, "dcterms:spatial", place_uri)
    _text(cho, "edm:type", obj.edm_type)

    media = list(obj.media.all())
    services = []
    for item in media:
        resource = etree.SubElement(root, _q("edm:WebResource"))
        resource.set(_q("rdf:about"), uris.media(item.path))
        _text(resource, "dc:rights", item.attribution or obj.attribution)
        _text(resource, "ebucore:hasMimeType", item.mime)
        _text(resource, "ebucore:width", item.width)
        _text(resource, "ebucore:height", item.height)
        _ref(resource, "edm:rights", obj.rights)
        # Europeana's IIIF guidance: the image's IIIF service, and the manifest that shows it
        identifier = pyramids.image_identifier(obj.identifier, item.position)
        if item.mime.startswith("image/") and pyramids.read_info(identifier) is not None:
            services.append(uris.image_service(identifier))
            _ref(resource, "svcs:has_service", services[-1])
            _ref(resource, "dcterms:isReferencedBy", uris.manifest(obj))
    for service_uri in services:
        service = etree.SubElement(root, _q("svcs:Service"))
        service.set(_q("rdf:about"), service_uri)
        _ref(service, "dcterms:conformsTo", IMAGE_PROTOCOL)
        _ref(service, "doap:implements", LEVEL0_PROFILE)

    place = etree.SubElement(root, _q("edm:Place"))
    place.set(_q("rdf:about"), place_uri)
    _text(place, "wgs84_pos:lat", f"{obj.point.y:.6f}")
    _text(place, "wgs84_pos:long", f"{obj.point.x:.6f}")
    if obj.place is None and obj.monument is not None:
        _both(place, "skos:prefLabel", obj.monument.site.name_el, obj.monument.site.name_en)
    else:
        _both(place, "skos:prefLabel", obj.title_el, obj.title_en)

    if obj.period:
        period = PERIODS[obj.period]
        span = etree.SubElement(root, _q("edm:TimeSpan"))
        span.set(_q("rdf:about"), uris.period(obj.period))
        _both(span, "skos:prefLabel", period.label_el, period.label_en)
        _text(span, "edm:begin", period.begin)
        _text(span, "edm:end", period.end)

    aggregation = etree.SubElement(root, _q("ore:Aggregation"))
    aggregation.set(_q("rdf:about"), f"{cho_uri}#aggregation")
    _ref(aggregation, "edm:aggregatedCHO", cho_uri)
    _text(aggregation, "edm:dataProvider", obj.organisation.name_en)
    _ref(aggregation, "edm:isShownAt", uris.shown_at(obj))
    if media:
        _ref(aggregation, "edm:isShownBy", uris.media(media[0].path))
        if media[0].mime.startswith("image/"):
            _ref(aggregation, "edm:object", uris.media(media[0].path))
        for item in media[1:]:
            _ref(aggregation, "edm:hasView", uris.media(item.path))
    _text(aggregation, "edm:provider", settings.HERITAGE_EDM_PROVIDER)
    _ref(aggregation, "edm:rights", obj.rights)
    _text(aggregation, "dc:rights", obj.attribution)
    return root


RECORD_BUILDERS = {"oai_dc": oai_dc, "edm": edm}
