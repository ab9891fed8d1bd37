"""Writing heritage records: what is refused (and how the message says to fix it), change times, tombstones."""
import pytest
from django.contrib.gis.geos import Point, Polygon
from django.db import IntegrityError, transaction

from heritage.errors import HeritageError
from heritage.models import CulturalObject, SameAs
from heritage.services import (
    SameAsLink,
    cultural_object_save,
    cultural_object_withdraw,
    monument_for_site,
    organisation_upsert,
)
from layers.models import HeritageSite

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisation():
    return organisation_upsert(slug="test-museum", name_el="Μουσείο", name_en="Museum", kind="museum")[0]


def save(organisation, **overrides):
    values = dict(identifier="test-object", organisation=organisation, kind="photograph", edm_type="IMAGE",
                  title_en="A photograph", subjects=["harbour"], date="1925", place=Point(22.94, 40.63, srid=4326),
                  rights="http://creativecommons.org/licenses/by/4.0/", attribution="Photo: A. Author, CC BY 4.0")
    values.update(overrides)
    return cultural_object_save(**values)


@pytest.mark.parametrize("rights", [
    "All rights reserved", "http://example.org/licence", "http://creativecommons.org/licenses/by-xx/4.0/",
    "http://rightsstatements.org/vocab/InC/9.9/", "",
])
def test_cultural_object_save_refuses_rights_that_are_not_cc_or_rightsstatements(organisation, rights):
    with pytest.raises(HeritageError) as refused:
        save(organisation, rights=rights)
    assert refused.value.field == "rights" and "creativecommons.org" in refused.value.message
    assert not CulturalObject.objects.filter(identifier="test-object").exists()


@pytest.mark.parametrize(("given", "stored"), [
    ("https://creativecommons.org/licenses/by-sa/4.0", "http://creativecommons.org/licenses/by-sa/4.0/"),
    ("https://creativecommons.org/publicdomain/zero/1.0/", "http://creativecommons.org/publicdomain/zero/1.0/"),
    ("http://creativecommons.org/licenses/by/3.0/gr/", "http://creativecommons.org/licenses/by/3.0/gr/"),
    ("https://rightsstatements.org/page/InC/1.0/", "http://rightsstatements.org/vocab/InC/1.0/"),
])
def test_cultural_object_save_stores_rights_in_their_canonical_http_form(organisation, given, stored):
    obj, _ = save(organisation, rights=given)
    assert obj.rights == stored


@pytest.mark.parametrize("qid", ["Q0", "17151", "Q12a", "q17151", "P757"])
def test_cultural_object_save_refuses_a_malformed_wikidata_item(organisation, qid):
    with pytest.raises(HeritageError, match="Wikidata item id such as Q17151"):
        save(organisation, same_as=[SameAsLink("wikidata", qid)])


@pytest.mark.parametrize("number", ["456-000", "456-016", "457-001", "456-1"])
def test_cultural_object_save_refuses_a_unesco_number_outside_456_001_to_015(organisation, number):
    with pytest.raises(HeritageError, match="from 456-001 to 456-015"):
        save(organisation, same_as=[SameAsLink("unesco", number)])


def test_cultural_object_save_keeps_valid_same_as_links(organisation):
    obj, _ = save(organisation, same_as=[SameAsLink("wikidata", "Q17151", "wikidata.org"), SameAsLink("unesco", "456-015")])
    assert sorted(str(link) for link in obj.same_as.all()) == ["unesco:456-015", "wikidata:Q17151"]


def test_database_refuses_a_same_as_link_that_skips_the_checks(organisation):
    obj, _ = save(organisation)
    with pytest.raises(IntegrityError), transaction.atomic():
        SameAs.objects.create(cultural_object=obj, scheme="wikidata", identifier="not-a-qid")


def test_cultural_object_save_refuses_an_object_without_place_or_monument(organisation):
    with pytest.raises(HeritageError, match="place of its own or the monument"):
        save(organisation, place=None)


def test_cultural_object_save_takes_its_monuments_place_when_it_has_none(organisation):
    monument = monument_for_site(site=HeritageSite.objects.get(slug="rotunda"))
    obj, _ = save(organisation, place=None, monument=monument)
    from heritage.selectors import object_by_identifier

    assert object_by_identifier(obj.identifier).point.equals_exact(monument.site.geom, 1e-9)


def test_cultural_object_save_transforms_a_place_in_greek_grid(organisation):
    greek_grid = Point(411000, 4498000, srid=2100)  # EPSG:2100, metres: the centre of Thessaloniki
    obj, _ = save(organisation, place=greek_grid)
    assert obj.place.srid == 4326 and 22.8 < obj.place.x < 23.0 and 40.5 < obj.place.y < 40.7


def test_cultural_object_save_refuses_a_place_without_a_reference_system(organisation):
    with pytest.raises(HeritageError, match="give its SRID"):
        save(organisation, place=Point(22.94, 40.63))


def test_cultural_object_save_refuses_an_invalid_geometry(organisation):
    bow_tie = Polygon(((22.94, 40.63), (22.95, 40.64), (22.95, 40.63), (22.94, 40.64), (22.94, 40.63)), srid=4326)
    with pytest.raises(HeritageError, match="not a valid geometry"):
        save(organisation, place=bow_tie)


@pytest.mark.parametrize(("overrides", "field"), [
    ({"title_en": "", "title_el": ""}, "title"),
    ({"subjects": [" ", ""]}, "subjects"),
    ({"date": "", "period": ""}, "date"),
    ({"date": "June 1978"}, "date"),
    ({"period": "baroque"}, "period"),
    ({"edm_type": "PHOTO"}, "edm_type"),
    ({"attribution": " "}, "attribution"),
    ({"identifier": "Not A Slug"}, "identifier"),
])
def test_cultural_object_save_refuses_a_record_missing_what_harvesters_need(organisation, overrides, field):
    with pytest.raises(HeritageError) as refused:
        save(organisation, **overrides)
    assert refused.value.field == field


def test_cultural_object_save_again_unchanged_keeps_the_change_time(organisation):
    first, outcome = save(organisation)
    again, second_outcome = save(organisation)
    assert (outcome, second_outcome) == ("created", "unchanged")
    assert CulturalObject.objects.get(pk=first.pk).modified == first.modified


def test_cultural_object_save_with_a_change_moves_the_change_time(organisation):
    first, _ = save(organisation)
    changed, outcome = save(organisation, title_en="A photograph of the harbour")
    assert outcome == "updated" and changed.modified > first.modified
    assert CulturalObject.objects.filter(identifier="test-object").count() == 1


def test_cultural_object_withdraw_keeps_a_tombstone_and_saving_again_brings_it_back(organisation):
    first, _ = save(organisation)
    withdrawn = cultural_object_withdraw(identifier="test-object")
    assert withdrawn.deleted is not None and withdrawn.modified > first.modified
    assert CulturalObject.objects.filter(identifier="test-object").exists()
    back, outcome = save(organisation)
    assert outcome == "updated" and back.deleted is None


def test_cultural_object_withdraw_of_an_unknown_object_is_refused():
    with pytest.raises(HeritageError, match="no cultural object 'nothing'"):
        cultural_object_withdraw(identifier="nothing")


def test_renaming_a_heritage_site_moves_its_objects_change_time(organisation):
    site = HeritageSite.objects.get(slug="rotunda")
    obj, _ = save(organisation, place=None, monument=monument_for_site(site=site))
    site.name_en = "Rotunda of Galerius"
    site.save()
    assert CulturalObject.objects.get(pk=obj.pk).modified > obj.modified


def test_organisation_upsert_refuses_an_unknown_kind():
    with pytest.raises(HeritageError, match="must be one of museum, gallery"):
        organisation_upsert(slug="x", name_el="Χ", name_en="X", kind="shop")
