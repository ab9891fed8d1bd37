"""The heritage demo: the organisations the references name, a monument and a record per heritage site, museum
objects; labelled as demo, rights stated, Wikidata items only those the references give; loading again duplicates
nothing; the heritage layer is left as it was."""
import pytest
from django.core.management import call_command

from heritage.demo import WIKIDATA, load_demo_heritage
from heritage.models import CulturalObject, MediaFile, Monument, Organisation, SameAs
from layers.models import HeritageSite

pytestmark = pytest.mark.django_db


def test_demo_gives_each_heritage_site_a_monument_and_its_record(heritage_demo):
    assert Monument.objects.count() == HeritageSite.objects.count() == 21
    assert CulturalObject.objects.filter(describes_monument=True).count() == 21
    assert heritage_demo["objects created"] == 24


def test_demo_records_are_labelled_as_demo_with_their_rights(heritage_demo):
    for obj in CulturalObject.objects.all():
        assert "Demo record" in obj.provenance and obj.rights.startswith("http://creativecommons.org/")
        assert "Demo image" in obj.attribution


def test_demo_wikidata_items_are_only_those_the_references_give(heritage_demo):
    links = {(link.cultural_object.identifier, link.identifier) for link in SameAs.objects.select_related("cultural_object")}
    assert links == set(WIKIDATA.items())
    assert not SameAs.objects.filter(scheme="unesco").exists()


def test_demo_images_are_generated_at_the_size_recorded(heritage_demo, settings):
    from PIL import Image

    media = MediaFile.objects.get(cultural_object__identifier="rotunda")
    with Image.open(settings.MEDIA_ROOT / media.path) as image:
        assert image.size == (media.width, media.height) == (1200, 800)


def test_demo_loaded_again_updates_and_never_duplicates(heritage_demo):
    again = load_demo_heritage(commit=True)
    assert again["objects unchanged"] == 24 and again["objects created"] == 0
    assert (Organisation.objects.count(), Monument.objects.count(), CulturalObject.objects.count()) == (4, 21, 24)
    assert MediaFile.objects.count() == 24 and SameAs.objects.count() == len(WIKIDATA)


def test_demo_command_is_a_dry_run_without_commit(settings, tmp_path, capsys):
    settings.MEDIA_ROOT = tmp_path
    call_command("heritage_load_demo")
    assert "dry run" in capsys.readouterr().out
    assert not CulturalObject.objects.exists() and not Organisation.objects.exists()
    assert not (tmp_path / "heritage").exists()


def test_demo_leaves_the_heritage_layer_as_it_was(client, heritage_demo):
    import json

    response = client.get("/ogc/collections/heritage-sites/items", {"limit": 50})
    body = json.loads(b"".join(response.streaming_content))
    assert body["numberMatched"] == 21
    assert {f["id"] for f in body["features"]} == set(HeritageSite.objects.values_list("slug", flat=True))
