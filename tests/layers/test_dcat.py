"""The DCAT-AP catalogue: JSON-LD that an RDF parser reads, with every layer as a dataset and every
download and the OGC API as its distributions."""
import json

import pytest
import rdflib
from django.contrib.gis.geos import Point
from django.urls import reverse
from rdflib import namespace as ns

from issues.models import Category
from issues.services.reporting import issue_report
from layers import registry

pytestmark = pytest.mark.django_db
LOCN = rdflib.Namespace("http://www.w3.org/ns/locn#")
VCARD = rdflib.Namespace("http://www.w3.org/2006/vcard/ns#")
BASE = "http://testserver/ogc"
FORMATS = {"geojson": "application/geo+json", "gpkg": "application/geopackage+sqlite3", "csv": "text/csv", "shp": "application/zip"}


@pytest.fixture
def graph(client) -> rdflib.Graph:
    issue_report(category=Category.objects.get(service_code="pothole"), point=Point(22.944, 40.634, srid=4326), actor="t")
    response = client.get("/ogc/catalogue.jsonld")
    assert response.status_code == 200 and response["Content-Type"] == "application/ld+json"
    return rdflib.Graph().parse(data=response.content, format="json-ld")


def texts(graph, subject, predicate) -> dict:
    return {literal.language: str(literal) for literal in graph.objects(subject, predicate)}


def test_landing_page_links_the_catalogue(client):
    link = next(link for link in client.get("/ogc/").json()["links"] if link["rel"] == "describedby")
    assert link["href"] == f"{BASE}/catalogue.jsonld" and link["type"] == "application/ld+json"


def test_the_catalogue_has_a_publisher_languages_a_licence_and_the_service(graph):
    catalogue = rdflib.URIRef(f"{BASE}/catalogue.jsonld")
    assert (catalogue, ns.RDF.type, ns.DCAT.Catalog) in graph
    assert set(texts(graph, catalogue, ns.DCTERMS.title)) == {"el", "en"}
    publisher = graph.value(catalogue, ns.DCTERMS.publisher)
    assert texts(graph, publisher, ns.FOAF.name) == {"el": "Δήμος Θεσσαλονίκης", "en": "Municipality of Thessaloniki"}
    assert graph.value(catalogue, ns.DCTERMS.license) == rdflib.URIRef("http://creativecommons.org/licenses/by/4.0/")
    service = graph.value(catalogue, ns.DCAT.service)
    assert graph.value(service, ns.DCAT.endpointURL) == rdflib.URIRef(f"{BASE}/")
    assert len(list(graph.objects(service, ns.DCAT.servesDataset))) == len(registry.all_collections())


def layer_is_empty(layer) -> bool:
    from django.db import connection
    from psycopg import sql

    with connection.cursor() as cursor:
        cursor.execute(sql.SQL("SELECT NOT EXISTS (SELECT 1 FROM {})").format(sql.Identifier(layer.table)))
        return cursor.fetchone()[0]


@pytest.mark.parametrize("collection", [c.id for c in registry.all_collections()])
def test_every_layer_is_a_dataset_with_every_distribution(graph, client, collection):
    layer = registry.get(collection)
    dataset = rdflib.URIRef(f"{BASE}/collections/{collection}")
    assert (dataset, ns.RDF.type, ns.DCAT.Dataset) in graph
    assert texts(graph, dataset, ns.DCTERMS.title) == {"el": layer.title_el, "en": layer.title_en}
    assert texts(graph, dataset, ns.DCTERMS.description) == {"el": layer.description_el, "en": layer.description_en}
    assert graph.value(dataset, ns.DCTERMS.modified) is not None
    assert {str(k) for k in graph.objects(dataset, ns.DCAT.keyword)} >= set(layer.keywords_en)
    contact = graph.value(dataset, ns.DCAT.contactPoint)
    assert str(graph.value(contact, VCARD.hasEmail)).startswith("mailto:")
    if layer_is_empty(layer):  # a layer with no features yet (a process before its first proposal) has no extent
        assert graph.value(dataset, ns.DCTERMS.spatial) is None
    else:
        bbox = str(graph.value(graph.value(dataset, ns.DCTERMS.spatial), ns.DCAT.bbox))
        geometry = json.loads(str(graph.value(graph.value(dataset, ns.DCTERMS.spatial), LOCN.geometry)))
        west, south = geometry["coordinates"][0][0]
        assert bbox.startswith("POLYGON((") and 22.8 < west < 23.0 and 40.5 < south < 40.7

    downloads = {}
    registered = {f"http://testserver{reverse(extra.url_name)}" for extra in registry.distributions(collection)}
    for distribution in graph.objects(dataset, ns.DCAT.distribution):
        assert graph.value(distribution, ns.DCTERMS.license) is not None
        media = str(graph.value(distribution, ns.DCAT.mediaType)).removeprefix("http://www.iana.org/assignments/media-types/")
        url = graph.value(distribution, ns.DCAT.downloadURL)
        if url is not None:
            downloads[str(url)] = media
        else:
            access = str(graph.value(distribution, ns.DCAT.accessURL))
            if access in registered:  # a distribution an app above registers (the heritage sites' IIIF collections)
                assert graph.value(distribution, ns.DCTERMS.conformsTo) is not None
                continue
            assert access == f"{BASE}/collections/{collection}/items" and media == "application/geo+json"
            assert graph.value(distribution, ns.DCAT.accessService) is not None
    assert downloads == {f"{BASE}/collections/{collection}/download/{name}": media for name, media in FORMATS.items()}
    for url in downloads:
        assert client.get(url.removeprefix("http://testserver")).status_code == 200


def test_layers_with_a_time_have_a_temporal_coverage(graph):
    issues = rdflib.URIRef(f"{BASE}/collections/public-issues")
    period = graph.value(issues, ns.DCTERMS.temporal)
    assert graph.value(period, ns.DCAT.startDate) is not None and graph.value(period, ns.DCAT.endDate) is not None
    assert graph.value(rdflib.URIRef(f"{BASE}/collections/heritage-sites"), ns.DCTERMS.temporal) is None


def test_modified_is_the_time_of_the_layers_latest_change(client):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("UPDATE layers_change SET changed_at = changed_at - interval '1 day'")

    def modified(collection):
        document = client.get("/ogc/catalogue.jsonld").json()
        return next(d["dct:modified"]["@value"] for d in document["dcat:dataset"] if d["dct:identifier"] == collection)

    issues, heritage = modified("public-issues"), modified("heritage-sites")
    issue_report(category=Category.objects.get(service_code="pothole"), point=Point(22.944, 40.634, srid=4326), actor="t")
    assert modified("public-issues") > issues and modified("heritage-sites") == heritage


def test_the_districts_credit_the_kallikratis_boundaries_wherever_published(client):
    document = client.get("/ogc/catalogue.jsonld").json()
    datasets = document.get("dcat:dataset") or document["@graph"][0]["dcat:dataset"]
    districts = next(d for d in datasets if d["dct:identifier"] == "districts")
    assert districts["dct:rights"]["rdfs:label"] == "Boundaries: geodata.gov.gr, CC BY 3.0"
    assert "geodata.gov.gr, CC BY 3.0" in districts["dct:provenance"]["rdfs:label"]
    assert all(d["dct:rights"] == districts["dct:rights"] for d in districts["dcat:distribution"])
