"""What Europeana and SearchCulture.gr require of an EDM record, checked on the parsed rdf:RDF."""
from datetime import timedelta

from django.db.models import F

from heritage.models import CulturalObject
from heritage.oai.metadata import NS

RDF_RESOURCE = f"{{{NS['rdf']}}}resource"
RIGHTS_PREFIXES = ("http://creativecommons.org/", "http://rightsstatements.org/vocab/")


def missing_fields(rdf) -> list[str]:
    """The mandatory fields an EDM record lacks (empty when it has them all)."""
    cho = rdf.find("edm:ProvidedCHO", NS)
    aggregation = rdf.find("ore:Aggregation", NS)
    if cho is None or aggregation is None:
        return ["edm:ProvidedCHO and ore:Aggregation"]

    def has(element, *paths):
        return any((found.text or "").strip() or found.get(RDF_RESOURCE) for path in paths
                   for found in element.findall(path, NS))

    missing = []
    if not has(cho, "dc:title", "dc:description"):
        missing.append("dc:title or dc:description")
    if not has(cho, "dc:subject", "dc:type", "dcterms:temporal", "dcterms:spatial"):
        missing.append("one of dc:subject, dc:type, dcterms:temporal, dcterms:spatial")
    if cho.findtext("edm:type", namespaces=NS) not in ("IMAGE", "TEXT", "3D", "VIDEO", "SOUND"):
        missing.append("edm:type")
    if not has(aggregation, "edm:isShownAt", "edm:isShownBy"):
        missing.append("edm:isShownAt or edm:isShownBy")
    for name in ("edm:dataProvider", "edm:provider"):
        if not has(aggregation, name):
            missing.append(name)
    rights = aggregation.find("edm:rights", NS)
    if rights is None or not rights.get(RDF_RESOURCE, "").startswith(RIGHTS_PREFIXES):
        missing.append("edm:rights as a Creative Commons or rightsstatements.org http:// URI")
    # SearchCulture.gr: title, type, subject and a date
    for name in ("dc:title", "dc:type", "dc:subject"):
        if not has(cho, name):
            missing.append(f"{name} (SearchCulture.gr)")
    if not has(cho, "dc:date", "dcterms:created", "dcterms:temporal"):
        missing.append("a date: dc:date, dcterms:created or dcterms:temporal (SearchCulture.gr)")
    places = rdf.findall("edm:Place", NS)
    if not places or any(p.findtext("wgs84_pos:lat", namespaces=NS) is None for p in places):
        missing.append("edm:Place with wgs84_pos:lat/long")
    return missing


def records_written_earlier(seconds: int = 5) -> None:
    """Every record's change time moved back, so that what a test changes next lies in a later second than the rest
    (the protocol's granularity) without the test waiting for the clock."""
    CulturalObject.objects.update(modified=F("modified") - timedelta(seconds=seconds))
