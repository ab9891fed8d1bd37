"""OAI-PMH at /oai: the six verbs, paging, from/until, sets, deleted records, and each of the protocol's errors."""

import pytest
from django.test import override_settings
from lxml import etree

from heritage.services import cultural_object_withdraw, media_pyramids_ingest

from .conftest import OAI_NS, oai, oai_error
from .records import NS, RDF_RESOURCE, missing_fields, records_written_earlier

pytestmark = pytest.mark.django_db
NS_ALL = {**OAI_NS, **NS}
ROTUNDA = "oai:heritage.thessaloniki.gr:rotunda"


def test_identify_names_the_repository_granularity_and_deleted_records(client, heritage_demo):
    root = oai(client, verb="Identify")
    identify = root.find("oai:Identify", OAI_NS)
    assert identify.findtext("oai:baseURL", namespaces=OAI_NS) == "http://testserver/oai"
    assert identify.findtext("oai:protocolVersion", namespaces=OAI_NS) == "2.0"
    assert identify.findtext("oai:granularity", namespaces=OAI_NS) == "YYYY-MM-DDThh:mm:ssZ"
    assert identify.findtext("oai:deletedRecord", namespaces=OAI_NS) == "persistent"
    assert root.find("oai:request", OAI_NS).get("verb") == "Identify"


def test_list_metadata_formats_offers_oai_dc_and_edm(client, heritage_demo):
    root = oai(client, verb="ListMetadataFormats", identifier=ROTUNDA)
    assert root.xpath("//oai:metadataPrefix/text()", namespaces=OAI_NS) == ["oai_dc", "edm"]


def test_list_sets_names_each_organisation_and_site(client, heritage_demo):
    specs = oai(client, verb="ListSets").xpath("//oai:setSpec/text()", namespaces=OAI_NS)
    assert {"organisation", "site", "organisation:municipal-art-gallery", "site:rotunda"} <= set(specs)
    assert len([s for s in specs if s.startswith("site:")]) == 21


def test_get_record_in_edm_carries_the_place_from_postgis(client, heritage_demo):
    root = oai(client, verb="GetRecord", identifier=ROTUNDA, metadataPrefix="edm")
    rdf = root.find(".//rdf:RDF", NS_ALL)
    assert missing_fields(rdf) == []
    place = rdf.find("edm:Place", NS)
    assert place.get(f"{{{NS['rdf']}}}about") == "http://testserver/ogc/collections/heritage-sites/items/rotunda"
    assert (float(place.findtext("wgs84_pos:lat", namespaces=NS)), float(place.findtext("wgs84_pos:long", namespaces=NS))) \
        == pytest.approx((40.633333, 22.952917), abs=1e-6)
    same_as = rdf.find("edm:ProvidedCHO/{http://www.w3.org/2002/07/owl#}sameAs", NS)
    assert same_as.get(f"{{{NS['rdf']}}}resource") == "http://www.wikidata.org/entity/Q1584841"


def test_get_record_in_edm_names_each_images_iiif_service_and_its_manifest(client, heritage_demo):
    media_pyramids_ingest(identifier="rotunda")
    rdf = oai(client, verb="GetRecord", identifier=ROTUNDA, metadataPrefix="edm").find(".//rdf:RDF", NS_ALL)
    resource = rdf.find("edm:WebResource", NS)
    service_uri = resource.find("svcs:has_service", NS).get(RDF_RESOURCE)
    assert service_uri == "http://testserver/iiif/3/rotunda-1"
    assert resource.find("dcterms:isReferencedBy", NS).get(RDF_RESOURCE) \
        == "http://testserver/iiif/presentation/rotunda/manifest"
    service = rdf.find("svcs:Service", NS)
    assert service.get(f"{{{NS['rdf']}}}about") == service_uri
    assert service.find("dcterms:conformsTo", NS).get(RDF_RESOURCE) == "http://iiif.io/api/image"
    assert service.find("doap:implements", NS).get(RDF_RESOURCE) == "http://iiif.io/api/image/3/level0.json"
    assert client.get("/iiif/3/rotunda-1/info.json").json()["id"] == service_uri
    assert missing_fields(rdf) == []


def test_an_image_without_its_pyramid_names_no_service(client, heritage_demo):
    rdf = oai(client, verb="GetRecord", identifier=ROTUNDA, metadataPrefix="edm").find(".//rdf:RDF", NS_ALL)
    assert rdf.find("edm:WebResource/svcs:has_service", NS) is None and rdf.find("svcs:Service", NS) is None


def test_get_record_of_an_object_with_a_place_of_its_own_gives_a_point_on_it(client, heritage_demo):
    root = oai(client, verb="GetRecord", metadataPrefix="edm",
               identifier="oai:heritage.thessaloniki.gr:demo-roman-forum-excavation-notes")
    lat = float(root.findtext(".//edm:Place/wgs84_pos:lat", namespaces=NS_ALL))
    lon = float(root.findtext(".//edm:Place/wgs84_pos:long", namespaces=NS_ALL))
    assert 40.6390 <= lat <= 40.6398 and 22.9443 <= lon <= 22.9457


def test_get_record_in_oai_dc_has_title_in_both_languages(client, heritage_demo):
    root = oai(client, verb="GetRecord", identifier=ROTUNDA, metadataPrefix="oai_dc")
    titles = root.xpath("//dc:title", namespaces=NS_ALL)
    assert {(t.get("{http://www.w3.org/XML/1998/namespace}lang"), t.text) for t in titles} == {("el", "Ροτόντα"), ("en", "Rotunda")}


def test_get_record_of_a_withdrawn_object_is_a_deleted_header(client, heritage_demo):
    cultural_object_withdraw(identifier="rotunda")
    root = oai(client, verb="GetRecord", identifier=ROTUNDA, metadataPrefix="edm")
    assert root.find(".//oai:header", OAI_NS).get("status") == "deleted"
    assert root.find(".//oai:metadata", OAI_NS) is None


@override_settings(HERITAGE_OAI_PAGE_SIZE=10)
def test_list_identifiers_pages_with_resumption_tokens_through_every_record(client, heritage_demo):
    seen, token, pages = [], None, 0
    while True:
        root = oai(client, verb="ListIdentifiers", **({"resumptionToken": token} if token else {"metadataPrefix": "edm"}))
        seen += root.xpath("//oai:header/oai:identifier/text()", namespaces=OAI_NS)
        pages += 1
        resumption = root.find(".//oai:resumptionToken", OAI_NS)
        assert resumption.get("completeListSize") == "24"
        token = resumption.text
        if not token:
            break
    assert pages == 3 and len(seen) == len(set(seen)) == 24


@override_settings(HERITAGE_OAI_PAGE_SIZE=10)
def test_a_change_during_a_harvest_is_sent_again_later_never_lost(client, heritage_demo):
    from heritage.services import cultural_object_withdraw, media_pyramids_ingest

    first = oai(client, verb="ListIdentifiers", metadataPrefix="edm")
    first_ids = first.xpath("//oai:header/oai:identifier/text()", namespaces=OAI_NS)
    cultural_object_withdraw(identifier=first_ids[0].rsplit(":", 1)[1])  # moves to the end of the change order
    token = first.findtext(".//oai:resumptionToken", namespaces=OAI_NS)
    rest = []
    while token:
        root = oai(client, verb="ListIdentifiers", resumptionToken=token)
        rest += root.xpath("//oai:header/oai:identifier/text()", namespaces=OAI_NS)
        token = root.findtext(".//oai:resumptionToken", namespaces=OAI_NS)
    assert rest[-1] == first_ids[0] and len(set(first_ids + rest)) == 24


def test_list_records_by_set_of_a_site(client, heritage_demo):
    root = oai(client, verb="ListRecords", metadataPrefix="edm", set="site:white-tower")
    assert sorted(root.xpath("//oai:header/oai:identifier/text()", namespaces=OAI_NS)) == [
        "oai:heritage.thessaloniki.gr:demo-white-tower-painting", "oai:heritage.thessaloniki.gr:white-tower"]


def test_list_records_by_set_of_an_organisation(client, heritage_demo):
    root = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc", set="organisation:municipal-art-gallery")
    assert root.xpath("//oai:header/oai:identifier/text()", namespaces=OAI_NS) == [
        "oai:heritage.thessaloniki.gr:demo-white-tower-painting"]


def test_list_records_until_a_day_includes_that_whole_day(client, heritage_demo):
    from django.utils import timezone

    today = timezone.now().strftime("%Y-%m-%d")
    root = oai(client, verb="ListIdentifiers", metadataPrefix="edm", until=today)
    assert len(root.xpath("//oai:header", namespaces=OAI_NS)) == 24


def test_post_is_answered_as_get(client, heritage_demo):
    response = client.post("/oai", {"verb": "GetRecord", "identifier": ROTUNDA, "metadataPrefix": "oai_dc"})
    assert response.status_code == 200 and b"Rotunda" in response.content


# --- the protocol's errors: each answered 200 with <error code="..."> and a message saying what to send -----------


def test_bad_verb_when_no_verb(client):
    code, message = oai_error(client)
    assert code == "badVerb" and "give a verb" in message


def test_bad_verb_when_the_verb_is_unknown(client):
    assert oai_error(client, verb="ListThings")[0] == "badVerb"


def test_bad_verb_when_the_verb_is_repeated(client):
    response = client.get("/oai?verb=Identify&verb=Identify")
    assert b'code="badVerb"' in response.content


def test_bad_argument_omits_the_request_attributes(client, heritage_demo):
    root = oai(client, verb="GetRecord", identifier=ROTUNDA)
    assert root.find("oai:error", OAI_NS).get("code") == "badArgument"
    assert root.find("oai:request", OAI_NS).attrib == {}


def test_bad_argument_when_metadata_prefix_is_missing(client):
    code, message = oai_error(client, verb="ListRecords")
    assert code == "badArgument" and "needs metadataPrefix" in message


def test_bad_argument_when_an_argument_is_illegal(client):
    code, message = oai_error(client, verb="Identify", metadataPrefix="edm")
    assert code == "badArgument" and "takes no argument 'metadataPrefix'" in message


def test_bad_argument_when_an_argument_is_repeated(client):
    response = client.get("/oai?verb=ListRecords&metadataPrefix=edm&metadataPrefix=oai_dc")
    assert b'code="badArgument"' in response.content and b"given 2 times" in response.content


def test_bad_argument_when_from_is_not_a_datestamp(client):
    code, message = oai_error(client, verb="ListRecords", metadataPrefix="edm", **{"from": "2026-02-30"})
    assert code == "badArgument" and "YYYY-MM-DD" in message


def test_bad_argument_when_from_and_until_differ_in_granularity(client):
    code, message = oai_error(client, verb="ListRecords", metadataPrefix="edm",
                              **{"from": "2026-01-01", "until": "2026-02-01T00:00:00Z"})
    assert code == "badArgument" and "same granularity" in message


def test_bad_argument_when_from_is_after_until(client):
    code, _ = oai_error(client, verb="ListRecords", metadataPrefix="edm", **{"from": "2026-02-01", "until": "2026-01-01"})
    assert code == "badArgument"


def test_bad_argument_when_a_resumption_token_comes_with_other_arguments(client):
    code, message = oai_error(client, verb="ListRecords", metadataPrefix="edm", resumptionToken="x")
    assert code == "badArgument" and "exclusive" in message


def test_bad_resumption_token_when_the_token_was_not_issued_here(client, heritage_demo):
    code, message = oai_error(client, verb="ListRecords", resumptionToken="eyJ2IjoiTGlzdFJlY29yZHMifQ:forged")
    assert code == "badResumptionToken" and "start the list again" in message


@override_settings(HERITAGE_OAI_PAGE_SIZE=5)
def test_bad_resumption_token_when_a_token_is_used_for_another_verb(client, heritage_demo):
    token = oai(client, verb="ListIdentifiers", metadataPrefix="edm").findtext(".//oai:resumptionToken", namespaces=OAI_NS)
    code, message = oai_error(client, verb="ListRecords", resumptionToken=token)
    assert code == "badResumptionToken" and "continues ListIdentifiers" in message


def test_bad_resumption_token_for_list_sets(client, heritage_demo):
    assert oai_error(client, verb="ListSets", resumptionToken="anything")[0] == "badResumptionToken"


def test_cannot_disseminate_format_for_an_unknown_prefix(client, heritage_demo):
    code, message = oai_error(client, verb="ListRecords", metadataPrefix="mods")
    assert code == "cannotDisseminateFormat" and "oai_dc or edm" in message


def test_cannot_disseminate_format_in_get_record(client, heritage_demo):
    assert oai_error(client, verb="GetRecord", identifier=ROTUNDA, metadataPrefix="lido")[0] == "cannotDisseminateFormat"


def test_id_does_not_exist_for_an_unknown_record(client, heritage_demo):
    code, message = oai_error(client, verb="GetRecord", identifier="oai:heritage.thessaloniki.gr:nothing",
                              metadataPrefix="edm")
    assert code == "idDoesNotExist" and "oai:heritage.thessaloniki.gr:rotunda" in message


def test_id_does_not_exist_for_another_repositorys_identifier(client, heritage_demo):
    assert oai_error(client, verb="ListMetadataFormats", identifier="oai:elsewhere.org:rotunda")[0] == "idDoesNotExist"


def test_no_records_match_after_the_last_change(client, heritage_demo):
    code, _ = oai_error(client, verb="ListRecords", metadataPrefix="edm", **{"from": "2999-01-01"})
    assert code == "noRecordsMatch"


def test_no_records_match_for_an_unknown_set(client, heritage_demo):
    code, message = oai_error(client, verb="ListRecords", metadataPrefix="edm", set="site:atlantis")
    assert code == "noRecordsMatch" and "ListSets" in message


def test_an_error_answer_is_valid_xml_with_user_text_escaped(client):
    response = client.get("/oai", {"verb": "<b>&\"'"})
    root = etree.fromstring(response.content)
    assert root.find("oai:error", OAI_NS).text.startswith("'<b>&")


def test_every_edm_record_of_the_demo_carries_the_mandatory_fields(client, heritage_demo):
    root = oai(client, verb="ListRecords", metadataPrefix="edm")
    records = root.findall(".//oai:record", OAI_NS)
    assert len(records) == 24
    for record in records:
        rdf = record.find(".//rdf:RDF", NS_ALL)
        assert missing_fields(rdf) == [], record.findtext(".//oai:identifier", namespaces=OAI_NS)


def test_list_records_answers_in_a_bounded_number_of_queries(client, heritage_demo, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        oai(client, verb="ListRecords", metadataPrefix="edm")


def test_datestamps_follow_changes_at_the_granularity_of_seconds(client, heritage_demo):
    records_written_earlier()  # the demo's records lie in earlier seconds than the change below
    before = oai(client, verb="Identify").findtext(".//oai:responseDate", namespaces=OAI_NS)
    cultural_object_withdraw(identifier="hagia-sophia")
    root = oai(client, verb="ListIdentifiers", metadataPrefix="edm", **{"from": before})
    headers = root.findall(".//oai:header", OAI_NS)
    assert [h.findtext("oai:identifier", namespaces=OAI_NS) for h in headers] == ["oai:heritage.thessaloniki.gr:hagia-sophia"]
    assert headers[0].get("status") == "deleted"
