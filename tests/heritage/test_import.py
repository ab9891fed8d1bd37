"""Importing objects from a folder and a CSV with Commons-style attribution: a dry run unless commit, refusals
counted with their reason while the other rows are stored whole, re-runs that update and never duplicate."""
import csv

import pytest
from django.core.management import call_command
from PIL import Image

from heritage.imports import ImportFileError, csv_rows, objects_import
from heritage.models import CulturalObject, MediaFile
from heritage.services import organisation_upsert

pytestmark = pytest.mark.django_db
GOOD = {"identifier": "harbour-1925", "file": "harbour.jpg", "title_en": "The harbour in 1925", "kind": "photograph",
        "edm_type": "image", "subjects": "harbour; ships", "date": "1925", "site": "white-tower",
        "author": "A. Photographer", "licence": "CC BY-SA 4.0",
        "source": "https://commons.wikimedia.org/wiki/File:Harbour.jpg", "wikidata": ""}


@pytest.fixture
def gallery():
    return organisation_upsert(slug="test-gallery", name_el="Πινακοθήκη", name_en="Gallery", kind="gallery")[0]


@pytest.fixture
def folder(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    files = tmp_path / "incoming"
    files.mkdir()
    Image.new("RGB", (640, 480), (90, 120, 200)).save(files / "harbour.jpg", "JPEG")
    return files


def write_csv(folder, rows):
    path = folder / "metadata.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=sorted({k for row in rows for k in row}))
        writer.writeheader()
        writer.writerows(rows)
    return path


def run(folder, gallery, rows, commit=True):
    return objects_import(folder=folder, rows=csv_rows(write_csv(folder, rows)), organisation=gallery, commit=commit)


def test_import_dry_run_stores_nothing(folder, gallery, settings):
    report = run(folder, gallery, [GOOD], commit=False)
    assert report.counts["created"] == 1 and "dry run" in report.summary()
    assert not CulturalObject.objects.exists() and not (settings.MEDIA_ROOT / "heritage").exists()


def test_import_stores_the_object_its_file_and_a_commons_style_credit(folder, gallery, settings):
    report = run(folder, gallery, [GOOD])
    assert report.counts["created"] == 1
    obj = CulturalObject.objects.get(identifier="harbour-1925")
    assert obj.rights == "http://creativecommons.org/licenses/by-sa/4.0/" and obj.monument.site.slug == "white-tower"
    assert obj.attribution == ("The harbour in 1925, by A. Photographer, CC BY-SA 4.0, "
                               "via https://commons.wikimedia.org/wiki/File:Harbour.jpg")
    assert obj.subjects == ["harbour", "ships"] and obj.edm_type == "IMAGE"
    media = obj.media.get()
    assert (media.path, media.mime, media.width, media.height) == ("heritage/test-gallery/harbour-1925.jpg", "image/jpeg", 640, 480)
    assert (settings.MEDIA_ROOT / media.path).is_file()


def test_import_again_updates_and_never_duplicates(folder, gallery):
    run(folder, gallery, [GOOD])
    assert run(folder, gallery, [GOOD]).counts["unchanged"] == 1
    report = run(folder, gallery, [{**GOOD, "title_en": "The harbour, 1925"}])
    assert report.counts["updated"] == 1
    assert CulturalObject.objects.count() == 1 and MediaFile.objects.count() == 1


@pytest.mark.parametrize(("change", "reason"), [
    ({"licence": "All rights reserved"}, "licence: must be a licence name"),
    ({"site": "atlantis"}, "site: no heritage site 'atlantis'"),
    ({"file": "missing.jpg"}, "file: 'missing.jpg' is not in the folder"),
    ({"file": "../outside.jpg"}, "lies outside the folder"),
    ({"wikidata": "17151"}, "wikidata identifier must be a Wikidata item id"),
    ({"site": "", "lon": "", "lat": ""}, "place: give the object a place of its own or the monument"),
    ({"lon": "east", "lat": "40.6", "site": ""}, "lon/lat: must be numbers"),
], ids=["licence", "site", "missing-file", "outside-folder", "wikidata", "no-place", "coordinates"])
def test_import_refuses_a_bad_row_with_its_reason_and_stores_the_others(folder, gallery, change, reason):
    other = {**GOOD, "identifier": "harbour-copy"}
    report = run(folder, gallery, [{**GOOD, **change}, other])
    assert report.counts["refused"] == 1 and report.counts["created"] == 1
    assert report.refusals[0][0] == 2 and reason in report.refusals[0][1]
    assert list(CulturalObject.objects.values_list("identifier", flat=True)) == ["harbour-copy"]


def test_import_refuses_a_csv_without_the_required_columns(folder):
    path = folder / "bad.csv"
    path.write_text("identifier,title_en\nx,X\n", encoding="utf-8")
    with pytest.raises(ImportFileError, match="lacks the columns kind, edm_type, subjects, licence"):
        csv_rows(path)


def test_import_command_prints_the_summary_with_refusals(folder, gallery, capsys):
    path = write_csv(folder, [GOOD, {**GOOD, "identifier": "bad-one", "licence": "GPL"}])
    call_command("heritage_import", str(folder), str(path), "--organisation", "test-gallery", "--commit")
    out = capsys.readouterr().out
    assert "1 created, 0 updated, 0 unchanged, 1 refused stored" in out and "row 3: licence:" in out
