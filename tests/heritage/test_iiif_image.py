"""IIIF Image API 3.0 at level 0: the validator's level-0 checks pass against the running server on its CC0 test
image; saving an object cuts its image into a pyramid once committed; unknown images and bad requests
are refused with the right status and the parameter named, open to every origin."""
import importlib.resources
import shutil

import pytest
from django.contrib.gis.geos import Point
from iiif_validator.tests.test import ComplianceLevel, IIIFVersion, TargetServer, ValidationFailure, get_tests

from heritage.iiif import pyramids
from heritage.services import MediaInput, cultural_object_save, cultural_object_withdraw, organisation_upsert

pytestmark = pytest.mark.django_db
VALIDATION_IMAGE = importlib.resources.files("iiif_validator") / "validation_image.png"


@pytest.fixture
def validation_pyramid(settings, tmp_path):
    settings.HERITAGE_IIIF_ROOT = str(tmp_path / "iiif")
    pyramids.build(VALIDATION_IMAGE, "validation-1", rights="http://creativecommons.org/publicdomain/zero/1.0/")
    return "validation-1"


def test_validator_level0_checks_pass_against_the_live_server(live_server, validation_pyramid):
    server = TargetServer(f"{live_server.url}/iiif/3", validation_id=validation_pyramid, version=IIIFVersion.V3)
    assert server.feature_set().compliance_level == ComplianceLevel.LEVEL_0
    checks = [test for test in get_tests(IIIFVersion.V3)
              if isinstance(test.compliance_level, ComplianceLevel) and test.compliance_level == ComplianceLevel.LEVEL_0]
    assert len(checks) >= 5
    failures = []
    for check in checks:
        results = check.run(server)
        failures += [(check.name, r) for r in (results if isinstance(results, list) else [results])
                     if isinstance(r, ValidationFailure)]
    assert failures == []


def test_saving_an_object_cuts_its_image_into_tiles_and_withdrawing_it_removes_them(
        client, settings, tmp_path, django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "heritage").mkdir(parents=True)
    shutil.copyfile(VALIDATION_IMAGE, settings.MEDIA_ROOT / "heritage" / "squares.png")
    organisation, _ = organisation_upsert(slug="test-museum", name_el="Μουσείο", name_en="Museum", kind="museum")
    with django_capture_on_commit_callbacks(execute=True):
        cultural_object_save(identifier="squares", organisation=organisation, kind="photograph", edm_type="IMAGE",
                             title_en="Squares", subjects=["test"], date="2020", place=Point(22.94, 40.63, srid=4326),
                             rights="http://creativecommons.org/licenses/by/4.0/", attribution="Test, CC BY 4.0",
                             media=[MediaInput(path="heritage/squares.png", mime="image/png")])
    info = client.get("/iiif/3/squares-1/info.json")
    assert info.status_code == 200 and info["Access-Control-Allow-Origin"] == "*"
    body = info.json()
    assert body["id"] == "http://testserver/iiif/3/squares-1" and body["profile"] == "level0"
    assert body["rights"] == "http://creativecommons.org/licenses/by/4.0/"
    assert body["tiles"] == [{"width": 512, "height": 512, "scaleFactors": [1, 2]}]
    assert body["sizes"] == [{"width": 500, "height": 500}, {"width": 1000, "height": 1000}]
    tile = client.get("/iiif/3/squares-1/512,0,488,512/488,512/0/default.jpg")
    assert tile.status_code == 200 and tile["Content-Type"] == "image/jpeg" and tile["Access-Control-Allow-Origin"] == "*"
    assert client.get("/iiif/3/squares-1/full/500,500/0/default.jpg").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        cultural_object_withdraw(identifier="squares")
    assert client.get("/iiif/3/squares-1/info.json").status_code == 404  # a withdrawn object's images go too


def test_unknown_image_is_a_404_naming_the_identifier(client, validation_pyramid):
    response = client.get("/iiif/3/no-such-image-1/info.json")
    assert response.status_code == 404 and response["Access-Control-Allow-Origin"] == "*"
    assert response.json()["parameter"] == "identifier"


@pytest.mark.parametrize("path, status, parameter", [
    ("nowhere/max/0/default.jpg", 400, "region"),
    ("2000,0,10,10/max/0/default.jpg", 400, "region"),  # starts outside the 1000 × 1000 image
    ("full/full/0/default.jpg", 400, "size"),  # Image API 2's `full` is `max` in 3.0
    ("full/2000,/0/default.jpg", 400, "size"),  # upscaling without ^
    ("full/max/45/default.jpg", 501, "rotation"),
    ("0,0,10,10/10,10/0/default.jpg", 501, "region"),  # valid, but not a tile of the pyramid
])
def test_a_bad_or_uncut_request_names_what_to_fix(client, validation_pyramid, path, status, parameter):
    response = client.get(f"/iiif/3/{validation_pyramid}/{path}")
    assert response.status_code == status and response.json()["parameter"] == parameter
    assert response["Access-Control-Allow-Origin"] == "*"
