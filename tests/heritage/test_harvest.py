"""A real harvester (sickle) over HTTP: a full harvest of the demo in EDM, then an incremental one after a change
and a withdrawal; the protocol's errors as the harvester reads them."""
import pytest
from django.test import override_settings
from sickle import Sickle
from sickle.oaiexceptions import BadResumptionToken, CannotDisseminateFormat, IdDoesNotExist, NoRecordsMatch

from heritage.demo import load_demo_heritage
from heritage.services import cultural_object_save, cultural_object_withdraw
from heritage.selectors import object_by_identifier

from .records import NS, missing_fields, records_written_earlier

OAI = "{http://www.openarchives.org/OAI/2.0/}"


def _response_date(iterator) -> str:
    return iterator.oai_response.xml.findtext(f"{OAI}responseDate")


@pytest.mark.django_db(transaction=True)
@override_settings(HERITAGE_OAI_PAGE_SIZE=7)
def test_sickle_harvests_everything_then_only_what_changed(live_server, settings, tmp_path):
    from layers.demo import load_demo_geography

    settings.MEDIA_ROOT = tmp_path / "media"
    load_demo_geography(commit=True)  # a transactional test starts from an empty database
    load_demo_heritage(commit=True)
    records_written_earlier()  # the harvest starts in a later second than the records were written
    sickle = Sickle(f"{live_server.url}/oai", max_retries=0, timeout=60)

    full = sickle.ListRecords(metadataPrefix="edm")
    records = list(full)
    assert len(records) == len({r.header.identifier for r in records}) == 24  # four pages of seven
    for record in records:
        rdf = record.xml.find(f".//{{{NS['rdf']}}}RDF")
        assert missing_fields(rdf) == [], record.header.identifier
    harvested_at = _response_date(full)

    painting = object_by_identifier("demo-white-tower-painting")
    cultural_object_save(
        identifier=painting.identifier, organisation=painting.organisation, monument=painting.monument,
        kind=painting.kind, edm_type=painting.edm_type, title_el=painting.title_el,
        title_en="The White Tower at dusk (painting, demo)", description_en=painting.description_en,
        subjects=painting.subjects, period=painting.period, date=painting.date, creator=painting.creator,
        rights=painting.rights, attribution=painting.attribution, provenance=painting.provenance)
    cultural_object_withdraw(identifier="demo-roman-forum-excavation-notes")

    changed = {r.header.identifier: r for r in sickle.ListRecords(metadataPrefix="edm", **{"from": harvested_at})}
    prefix = "oai:heritage.thessaloniki.gr:"
    assert set(changed) == {f"{prefix}demo-white-tower-painting", f"{prefix}demo-roman-forum-excavation-notes"}
    assert changed[f"{prefix}demo-roman-forum-excavation-notes"].deleted
    assert "The White Tower at dusk (painting, demo)" in changed[f"{prefix}demo-white-tower-painting"].metadata["title"]

    # the same errors a harvester meets
    with pytest.raises(NoRecordsMatch):
        list(sickle.ListIdentifiers(metadataPrefix="edm", **{"from": "2999-01-01"}))
    with pytest.raises(CannotDisseminateFormat):
        list(sickle.ListRecords(metadataPrefix="marc21"))
    with pytest.raises(IdDoesNotExist):
        sickle.GetRecord(identifier=f"{prefix}nothing", metadataPrefix="edm")
    with pytest.raises(BadResumptionToken):
        list(sickle.ListRecords(resumptionToken="forged"))
    # a deleted record is still answered, as deleted
    assert sickle.GetRecord(identifier=f"{prefix}demo-roman-forum-excavation-notes", metadataPrefix="oai_dc").deleted
