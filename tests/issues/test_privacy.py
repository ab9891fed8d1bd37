"""Private fields never in public outputs: the reporter's e-mail, name, phone, device and account ids, a
supporter's device id and internal notes are in no Open311 answer (JSON or XML), no OGC item, no vector
tile (decoded), no tile description and no GeoJSON API; staff who work the issue do see the reporter."""
import json

import mapbox_vector_tile
import pytest
from django.test import Client

from issues.models import Category
from issues.services.lifecycle import issue_comment, issue_note, issue_support
from issues.services.reporting import issue_report
from issues.services.submission import Reporter
from tests.conftest import wgs84
from tests.layers.test_ogc import tile_xy

pytestmark = pytest.mark.django_db

PRIVATE = {
    "email": "maria.private@example.org", "first_name": "Mariaprivate", "last_name": "Secretsurname", "phone": "+302310999888",
    "device_id": "device-PRIVATE-4711", "account_id": "account-PRIVATE-0815",
}
INTERNAL_NOTE = "INTERNAL-NOTE call the contractor on 6944000000"
SUPPORTER_DEVICE = "supporter-device-PRIVATE-99"
MARKERS = [*PRIVATE.values(), INTERNAL_NOTE, SUPPORTER_DEVICE]
LON, LAT = 22.9484, 40.6264  # the White Tower, in the historic centre


@pytest.fixture
def private_issue():
    issue = issue_report(category=Category.objects.get(service_code="pothole"), point=wgs84(LON, LAT), actor="citizen",
                         description="Deep pothole by the kiosk", reporter=Reporter(**PRIVATE)).issue
    issue_note(issue=issue, text=INTERNAL_NOTE, public=False, actor="staff", expected_version=issue.version)
    issue_comment(issue=issue, text="Still there this morning", author_name="A neighbour", actor="citizen")
    issue_support(issue=issue, device_id=SUPPORTER_DEVICE)
    return issue


def public_answers(issue) -> dict[str, bytes]:
    client = Client()
    paths = [
        "/open311/v2/requests.json", "/open311/v2/requests.xml", "/open311/v2/requests.json?extensions=true",
        "/open311/v2/requests.xml?extensions=true", f"/open311/v2/requests/{issue.pk}.json?extensions=true",
        f"/open311/v2/requests/{issue.pk}.xml", f"/open311/v2/tokens/{issue.token}.json",
        f"/open311/v2/servicerequestupdates.json?service_request_id={issue.pk}",
        f"/open311/v2/servicerequestupdates.xml?service_request_id={issue.pk}",
        "/ogc/collections/public-issues/items?limit=1000", f"/ogc/collections/public-issues/items/{issue.pk}",
        "/ogc/collections/public-issues/queryables", "/ogc/collections/public-issues/tiles/WebMercatorQuad/tilejson.json",
        f"/api/issues/nearby?service_code=pothole&lat={LAT}&long={LON}", f"/api/issues/{issue.pk}/comments",
        "/api/hazards/exposure?layer=flood-t100&collections=open-issues", "/api/hazards/exposure?layer=pga-475",
    ]
    answers = {}
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        answers[path] = b"".join(response.streaming_content) if response.streaming else response.content
    for zoom in (10, 14, 18):
        tx, ty = tile_xy(LON, LAT, zoom)
        response = client.get(f"/ogc/collections/public-issues/tiles/WebMercatorQuad/{zoom}/{ty}/{tx}")
        assert response.status_code == 200, zoom
        decoded = mapbox_vector_tile.decode(response.content)
        assert decoded["public-issues"]["features"], "the issue is in its tile"
        answers[f"tile {zoom}"] = json.dumps(decoded, ensure_ascii=False).encode()
    return answers


def test_no_public_output_holds_a_private_field(private_issue):
    answers = public_answers(private_issue)
    assert any(b"Deep pothole by the kiosk" in body for body in answers.values())  # the issue is there ...
    for path, body in answers.items():
        text = body.decode()
        for marker in MARKERS:
            assert marker not in text, f"{marker!r} in {path}"  # ... without its private fields


def test_the_created_answer_gives_the_reporter_only_their_own_account_id(client):
    from issues.api_keys import api_key_create

    _key, raw = api_key_create(name="app")
    response = client.post("/open311/v2/requests.json", {"api_key": raw, "service_code": "pothole", "lat": str(LAT),
                                                          "long": str(LON), **PRIVATE})
    assert response.status_code == 201
    body = response.content.decode()
    assert PRIVATE["account_id"] in body
    assert all(PRIVATE[field] not in body for field in ("email", "first_name", "last_name", "phone", "device_id"))


def test_staff_of_the_department_do_see_the_reporter(private_issue, django_user_model):
    from issues.models import DepartmentMembership

    user = django_user_model.objects.create_user("worker", password="pw-123456")
    DepartmentMembership.objects.create(user=user, department=private_issue.department)
    client = Client()
    client.force_login(user)
    detail = client.get(f"/api/issues/{private_issue.pk}").json()["properties"]
    assert detail["reporter"]["email"] == PRIVATE["email"]
    assert any(h["note"] == INTERNAL_NOTE for h in detail["history"])
