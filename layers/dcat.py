"""The DCAT-AP catalogue of the layers as JSON-LD: one dcat:Dataset per registered collection, with its
titles and descriptions in Greek and English, licence, spatial (and temporal) coverage, keywords, themes,
contact point, the time of its latest change, and a distribution per download format and for the OGC API."""
import json
from collections.abc import Callable

from django.conf import settings

from . import features, registry
from .change_stamps import stamp
from .downloads import FORMATS
from .registry import Collection

CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "locn": "http://www.w3.org/ns/locn#",
    "gsp": "http://www.opengis.net/ont/geosparql#",
    "adms": "http://www.w3.org/ns/adms#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
EU = "http://publications.europa.eu/resource/authority"
IANA = "http://www.iana.org/assignments/media-types"
OGC_API_FEATURES = "http://www.opengis.net/doc/IS/ogcapi-features-1/1.0"


def _texts(el: str, en: str) -> list[dict]:
    return [{"@value": el, "@language": "el"}, {"@value": en, "@language": "en"}]


def _moment(value) -> dict:
    return {"@value": value.isoformat(), "@type": "xsd:dateTime"}


def _ref(iri: str) -> dict:
    return {"@id": iri}


def _spatial(bbox: list[float] | None) -> dict | None:
    if not bbox:
        return None
    west, south, east, north = bbox
    ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    return {
        "@type": "dct:Location",
        "dcat:bbox": {"@value": "POLYGON((" + ", ".join(f"{x} {y}" for x, y in ring) + "))", "@type": "gsp:wktLiteral"},
        "locn:geometry": {"@value": json.dumps({"type": "Polygon", "coordinates": [ring]}), "@type": "gsp:geoJSONLiteral"},
    }


def _distributions(collection: Collection, url: Callable[..., str], licence: str, modified) -> list[dict]:
    listed = []
    for download in FORMATS.values():
        address = url("ogc-download", collection_id=collection.id, format_name=download.name)
        listed.append({
            "@id": address, "@type": "dcat:Distribution",
            "dct:title": _texts(f"{collection.title_el} ({download.title})", f"{collection.title_en} ({download.title})"),
            "dcat:accessURL": _ref(address), "dcat:downloadURL": _ref(address),
            "dcat:mediaType": _ref(f"{IANA}/{download.media_type.split(';')[0]}"),
            "dct:format": _ref(f"{EU}/file-type/{download.file_type}"),
            "dct:license": _ref(licence), "dct:modified": modified,
        })
    items = url("ogc-items", collection_id=collection.id)
    listed.append({
        "@id": url("ogc-collection", collection_id=collection.id) + "#ogc-api", "@type": "dcat:Distribution",
        "dct:title": _texts(f"{collection.title_el} (OGC API – Features)", f"{collection.title_en} (OGC API – Features)"),
        "dct:description": _texts("Υπηρεσία: σελιδοποίηση, bbox, CQL2, CRS.", "A service: paging, bbox, CQL2 filters, CRS."),
        "dcat:accessURL": _ref(items), "dcat:mediaType": _ref(f"{IANA}/application/geo+json"),
        "dct:format": _ref(f"{EU}/file-type/GEOJSON"), "dct:conformsTo": _ref(OGC_API_FEATURES),
        "dct:license": _ref(licence), "dcat:accessService": _ref(url("ogc-landing") + "#service"),
    })
    for extra in registry.distributions(collection.id):
        address = url(extra.url_name)
        listed.append({
            "@id": address, "@type": "dcat:Distribution", "dct:title": _texts(extra.title_el, extra.title_en),
            "dcat:accessURL": _ref(address), "dcat:mediaType": _ref(f"{IANA}/{extra.media_type.split(';')[0]}"),
            "dct:conformsTo": _ref(extra.conforms_to), "dct:license": _ref(licence),
        })
    return listed


def _dataset(collection: Collection, url: Callable[..., str], publisher: dict, contact: dict) -> dict:
    licence = collection.licence or settings.OPEN_DATA_LICENCE
    changed = stamp(collection.sources).changed_at
    modified = _moment(changed) if changed else None
    dataset = {
        "@id": url("ogc-collection", collection_id=collection.id), "@type": "dcat:Dataset",
        "dct:identifier": collection.id,
        "dct:title": _texts(collection.title_el, collection.title_en),
        "dct:description": _texts(collection.description_el, collection.description_en),
        "dcat:keyword": [{"@value": word, "@language": "el"} for word in collection.keywords_el]
                        + [{"@value": word, "@language": "en"} for word in collection.keywords_en],
        "dcat:theme": [_ref(f"{EU}/data-theme/{theme}") for theme in collection.themes],
        "dct:publisher": publisher, "dcat:contactPoint": contact,
        "dct:accessRights": _ref(f"{EU}/access-right/PUBLIC"),
        "dct:license": _ref(licence),
        "dct:provenance": {"@type": "dct:ProvenanceStatement",
                           "rdfs:label": " ".join(filter(None, [collection.provenance, collection.attribution]))},
        "dcat:landingPage": _ref(url("ogc-collection", collection_id=collection.id)),
        "dcat:distribution": _distributions(collection, url, licence, modified),
    }
    if modified:
        dataset["dct:modified"] = modified
    if collection.attribution:
        rights = {"@type": "dct:RightsStatement", "rdfs:label": collection.attribution}
        dataset["dct:rights"] = rights
        for distribution in dataset["dcat:distribution"]:
            distribution["dct:rights"] = rights
    known = features.extents(collection)
    spatial = _spatial(known.bbox)
    if spatial:
        dataset["dct:spatial"] = spatial
    times = known.times
    if times:
        dataset["dct:temporal"] = {"@type": "dct:PeriodOfTime", "dcat:startDate": _moment(times[0]),
                                   "dcat:endDate": _moment(times[1])}
    return dataset


def catalogue(collections: list[Collection], url: Callable[..., str]) -> dict:
    """The whole catalogue; url(name, **kwargs) gives the absolute URL of a named route."""
    home = url("ogc-landing")
    publisher = {"@id": home + "#publisher", "@type": "foaf:Agent",
                 "foaf:name": _texts(settings.OPEN_DATA_PUBLISHER_EL, settings.OPEN_DATA_PUBLISHER_EN),
                 "dct:type": _ref("http://purl.org/adms/publishertype/LocalAuthority")}
    contact = {"@id": home + "#contact", "@type": "vcard:Organization",
               "vcard:fn": settings.OPEN_DATA_PUBLISHER_EN, "vcard:hasEmail": _ref(f"mailto:{settings.OPEN_DATA_CONTACT_EMAIL}")}
    datasets = [_dataset(collection, url, publisher, contact) for collection in collections]
    changes = [d["dct:modified"]["@value"] for d in datasets if "dct:modified" in d]
    document = {
        "@context": CONTEXT,
        "@id": url("ogc-catalogue"), "@type": "dcat:Catalog",
        "dct:title": _texts("Ανοικτά γεωχωρικά δεδομένα του Δήμου Θεσσαλονίκης", "Open geodata of the Municipality of Thessaloniki"),
        "dct:description": _texts(
            "Τα επίπεδα της γεωπύλης: δημοτικές κοινότητες, μνημεία, σημεία εξυπηρέτησης, ζώνες κινδύνου και αιτήματα πολιτών.",
            "The portal's map layers: districts, heritage sites, service points, hazard zones and citizens' reports."),
        "dct:publisher": publisher,
        "dct:language": [_ref(f"{EU}/language/ELL"), _ref(f"{EU}/language/ENG")],
        "dct:license": _ref(settings.OPEN_DATA_LICENCE),
        "foaf:homepage": _ref(home),
        "dcat:themeTaxonomy": _ref(f"{EU}/data-theme"),
        "dcat:service": [{
            "@id": home + "#service", "@type": "dcat:DataService",
            "dct:title": _texts("OGC API – Features του Δήμου Θεσσαλονίκης", "OGC API – Features of the Municipality of Thessaloniki"),
            "dcat:endpointURL": _ref(home), "dcat:endpointDescription": _ref(url("ogc-openapi")),
            "dct:conformsTo": _ref(OGC_API_FEATURES), "dct:license": _ref(settings.OPEN_DATA_LICENCE),
            "dcat:servesDataset": [_ref(d["@id"]) for d in datasets],
        }],
        "dcat:dataset": datasets,
    }
    if changes:
        document["dct:modified"] = {"@value": max(changes), "@type": "xsd:dateTime"}
    return document
