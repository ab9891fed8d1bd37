"""The implementation pages, server-rendered: the map page lists each project with its status and progress, filtered
by the address, with the outcome indicator and its definition; a project's page shows its milestones in order with
photos, money and dates; the staff's page is refused to residents."""
import json

import mapbox_vector_tile
import pyogrio
import pytest

from tests.support.patient_client import PatientClient

from . import implementation_data
from .test_secrecy import tile_xy

pytestmark = pytest.mark.django_db


@pytest.fixture
def built(media_in_tmp):
    return implementation_data.build()


def test_implementation_map_lists_projects_with_status_and_progress(built, client):
    page = client.get("/participation/implementation/?process=pb-implemented", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f'data-status="in_progress" data-year="2025" data-district="D1" data-process="pb-implemented" data-id="{built["in_progress"]}"' in page
    assert 'value="40"' in page and "40 %" in page
    assert "implemented projects shaped by a participatory process" in page  # the definition beside the number
    filtered = client.get("/participation/implementation/?status=done&process=pb-implemented").content.decode()
    assert f'data-id="{built["done"]}"' in filtered and f'data-id="{built["in_progress"]}"' not in filtered


def test_project_page_shows_milestones_in_order_with_photo(built, client):
    page = client.get(f"/participation/projects/{built['in_progress']}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert page.index("Works began") < page.index("Trees planted")
    assert 'alt="Photo of the milestone of' in page
    assert "42,000" in page or "42.000" in page
    greek = client.get(f"/participation/projects/{built['in_progress']}/", HTTP_ACCEPT_LANGUAGE="el").content.decode()
    assert "Ξεκίνησαν οι εργασίες" in greek and "Ορόσημα" in greek and "Δαπάνη μέχρι τώρα" in greek


def test_project_page_of_an_unknown_record_is_404(client):
    assert client.get("/participation/projects/987654321/").status_code == 404


def test_project_edit_page_is_for_staff_only(built, client, django_user_model):
    resident = django_user_model.objects.create_user("plain-resident", password="pw-123456")
    client.force_login(resident)
    assert client.get(f"/participation/projects/{built['in_progress']}/edit/").status_code == 403
    client.force_login(django_user_model.objects.get(username=built["staff"]))
    page = client.get(f"/participation/projects/{built['in_progress']}/edit/")
    assert page.status_code == 200 and b'id="cancel_reason"' in page.content


def test_layer_implementation_items_tile_download_and_catalogue(built, client, tmp_path):
    response = client.get("/ogc/collections/participation-implementation/items", {"process": "pb-implemented"})
    body = json.loads(b"".join(response.streaming_content)) if response.streaming else response.json()
    found = {f["id"]: f["properties"] for f in body["features"]}
    assert (found[built["in_progress"]]["status"], found[built["in_progress"]]["progress"]) == ("in_progress", 40)
    assert (found[built["done"]]["status"], found[built["done"]]["year"]) == ("done", 2025)
    x, y = tile_xy(implementation_data.PLACE.x, implementation_data.PLACE.y, 15)
    tile = client.get(f"/ogc/collections/participation-implementation/tiles/WebMercatorQuad/15/{y}/{x}").content
    features = mapbox_vector_tile.decode(tile)["participation-implementation"]["features"]
    assert {(f["properties"]["status"], f["properties"]["progress"]) for f in features} >= {("in_progress", 40)}
    download = PatientClient().get("/ogc/collections/participation-implementation/download/gpkg")
    path = tmp_path / "implementation.gpkg"
    path.write_bytes(b"".join(download.streaming_content) if download.streaming else download.content)
    assert pyogrio.read_info(path)["features"] >= 2
    catalogue = client.get("/ogc/catalogue.jsonld").json()
    assert "participation-implementation" in {d["dct:identifier"] for d in catalogue["dcat:dataset"]}


def test_implementation_map_with_a_wrong_include_demo_is_a_400_page(client):
    answer = client.get("/participation/implementation/?include_demo=maybe", HTTP_ACCEPT_LANGUAGE="en")
    assert answer.status_code == 400 and "include_demo" in answer.content.decode()
