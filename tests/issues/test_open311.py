"""Open311 GeoReport v2: every call in JSON and XML, filters and limits, and every error with its status."""
import json
from datetime import timedelta
from xml.etree import ElementTree

import pytest
from django.contrib.gis.geos import Point
from django.utils import timezone

from issues.models import Category, Issue
from issues.services.lifecycle import issue_comment, issue_transition
from issues.services.reporting import issue_report
from issues.services.submission import Reporter

pytestmark = pytest.mark.django_db

WHITE_TOWER = {"lat": "40.6264", "long": "22.9484"}
TOUMBA = {"lat": "40.6120", "long": "22.9760"}


def xml(response):
    return ElementTree.fromstring(response.content)


def report(code="pothole", lon=22.9484, lat=40.6264, **kwargs):
    return issue_report(category=Category.objects.get(service_code=code), point=Point(lon, lat, srid=4326),
                        actor="test", **kwargs).issue


# --- discovery, services, service definition -------------------------------------------------


def test_discovery_json_lists_the_endpoint_and_extensions(client):
    body = client.get("/open311/v2/discovery.json").json()
    endpoint = body["endpoints"][0]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"].endswith("/open311/v2/")
    assert set(endpoint["formats"]) == {"application/json", "text/xml"}
    assert "servicerequestupdates" in body["extensions"]["updates"]


def test_discovery_xml(client):
    response = client.get("/open311/v2/discovery.xml")
    assert response["Content-Type"].startswith("text/xml")
    root = xml(response)
    assert root.tag == "discovery"
    assert root.find("endpoints/endpoint/formats/format") is not None


def test_services_json_in_greek_and_english(client):
    english = client.get("/open311/v2/services.json", {"lang": "en"}).json()
    greek = client.get("/open311/v2/services.json", {"lang": "el"}).json()
    pothole_en = next(s for s in english if s["service_code"] == "pothole")
    pothole_el = next(s for s in greek if s["service_code"] == "pothole")
    assert pothole_en["service_name"] == "Pothole" and pothole_el["service_name"] == "Λακκούβα"
    assert pothole_en["group"] == "Roads and pavements"
    assert pothole_en["type"] == "realtime" and pothole_en["metadata"] is True
    assert set(pothole_en) == {"service_code", "service_name", "description", "metadata", "type", "keywords", "group"}


def test_services_xml(client):
    root = xml(client.get("/open311/v2/services.xml"))
    assert root.tag == "services"
    codes = [s.findtext("service_code") for s in root.findall("service")]
    assert "bulky-waste" in codes and len(codes) == Category.objects.count()


def test_service_definition_json(client):
    body = client.get("/open311/v2/services/bulky-waste.json").json()
    attribute = body["attributes"][0]
    assert body["service_code"] == "bulky-waste"
    assert attribute["code"] == "item_type" and attribute["required"] is True
    assert attribute["datatype"] == "singlevaluelist"
    assert {"key": "mattress", "name": "Mattress / Στρώμα"} in attribute["values"]


def test_service_definition_xml(client):
    root = xml(client.get("/open311/v2/services/bulky-waste.xml"))
    assert root.tag == "service_definition"
    assert root.findtext("attributes/attribute/values/value/key") == "furniture"


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_service_definition_unknown_code_is_404(client, fmt):
    response = client.get(f"/open311/v2/services/no-such.{fmt}")
    assert response.status_code == 404
    text = response.content.decode()
    assert "no service 'no-such'" in text


# --- create ----------------------------------------------------------------------------------


def test_create_json_routes_and_answers(post_report):
    response = post_report({"service_code": "bulky-waste", **TOUMBA, "attribute[item_type]": "mattress",
                            "description": "Old mattress", "email": "maria@example.org"})
    assert response.status_code == 201, response.content
    answer = response.json()[0]
    issue = Issue.objects.get(pk=int(answer["service_request_id"]))
    assert issue.district.code == "D4" and issue.department.slug == "cleaning-d4"
    assert "district D4" in issue.routing_note and "cleaning-d4" in issue.routing_note
    assert issue.attributes == {"item_type": "mattress"}
    assert answer["token"] == str(issue.token)
    assert answer["service_notice"]


def test_create_xml(post_report):
    response = post_report({"service_code": "pothole", **WHITE_TOWER}, fmt="xml")
    assert response.status_code == 201
    root = xml(response)
    assert root.tag == "service_requests"
    assert root.find("request/service_request_id").text.isdigit()


def test_create_accepts_a_json_body(client, api_key):
    response = client.post(
        "/open311/v2/requests.json",
        json.dumps({"api_key": api_key, "service_code": "bulky-waste", **WHITE_TOWER, "attribute": {"item_type": "furniture"}}),
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert Issue.objects.get(pk=response.json()[0]["service_request_id"]).attributes == {"item_type": "furniture"}


@pytest.mark.parametrize("address", ["Τσιμισκή", "tsimiski", "TSIMISKI street", "Τσιμισκη"])
def test_create_by_address_in_greek_or_latin(post_report, address):
    response = post_report({"service_code": "pothole", "address_string": address})
    assert response.status_code == 201, response.content
    issue = Issue.objects.get(pk=response.json()[0]["service_request_id"])
    assert issue.location.coords == pytest.approx((22.9440, 40.6310))
    assert issue.address == address


def test_create_by_unknown_address_is_400_with_suggestions(post_report):
    response = post_report({"service_code": "pothole", "address_string": "Tsimiskoulas"})
    assert response.status_code == 400
    description = response.json()[0]["description"]
    assert description.startswith("address_string: no place matches")
    assert "did you mean" in description and "Tsimiski" in description


def test_create_by_ambiguous_address_is_400_listing_both(post_report):
    from layers.models import Place, PlaceName

    for kind in ("street", "square"):
        place = Place.objects.create(kind=kind, name_el="Καμάρας", name_en="Kamaras", geom=Point(22.95, 40.63, srid=4326))
        PlaceName.objects.create(place=place, key="Καμάρας")
    response = post_report({"service_code": "pothole", "address_string": "kamaras"})
    assert response.status_code == 400
    description = response.json()[0]["description"]
    assert "matches several places" in description and description.count("Kamaras") >= 2


@pytest.mark.parametrize(
    "data, status, message",
    [
        ({"service_code": None}, 400, "service_code: required"),
        ({"service_code": "no-such"}, 404, "service_code: no service 'no-such'"),
        ({"lat": None, "long": None}, 400, "lat, long: a location is required"),
        ({"lat": "abc"}, 400, "lat: must be a number"),
        ({"long": "NaN"}, 400, "long: must be a finite number"),
        ({"lat": "Infinity"}, 400, "lat: must be a finite number"),
        ({"lat": "95"}, 400, "lat: must be between -90 and 90"),
        ({"long": "-200"}, 400, "long: must be between -180 and 180"),
        ({"description": "x" * 4001}, 400, "description: is 4001 characters; at most 4000"),
        ({"service_code": "bulky-waste"}, 400, "attribute[item_type]: is required"),
        ({"service_code": "bulky-waste", "attribute[item_type]": "piano"}, 400, "attribute[item_type]: 'piano' is not one of"),
        ({"attribute[colour]": "red"}, 400, "attribute[colour]: is not an attribute of pothole"),
        ({"email": "not-an-address"}, 400, "email: not an e-mail address"),
        ({"media_url": "javascript:alert(1)"}, 400, "media_url: must be an http or https URL"),
        ({"api_key": "wrong"}, 403, "api_key: the key is not valid"),
    ],
)
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_create_errors_say_what_to_fix_and_store_nothing(post_report, data, status, message, fmt):
    before = Issue.objects.count()
    response = post_report({"service_code": "pothole", **WHITE_TOWER, **data}, fmt=fmt)
    assert response.status_code == status
    if fmt == "json":
        assert response["Content-Type"].startswith("application/json")
        error = response.json()[0]
        assert error["code"] == status and error["description"].startswith(message), error
    else:
        root = xml(response)
        assert root.tag == "errors"
        assert root.findtext("error/code") == str(status)
        assert root.findtext("error/description").startswith(message)
    assert Issue.objects.count() == before


def test_create_4000_character_description_is_accepted(post_report):
    assert post_report({"service_code": "pothole", **WHITE_TOWER, "description": "x" * 4000}).status_code == 201


def test_create_without_key_or_csrf_is_403(db):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post("/open311/v2/requests.json", {"service_code": "pothole", **WHITE_TOWER})
    assert response.status_code == 403
    assert response.json()[0]["description"].startswith("api_key: required")


def test_create_from_the_site_form_uses_session_and_csrf(db):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    refused = browser.post("/open311/v2/requests.json", {"service_code": "pothole", **WHITE_TOWER})
    assert refused.status_code == 403
    browser.get("/")  # any page sets the CSRF cookie once a form needs it
    from django.middleware.csrf import _get_new_csrf_string, _mask_cipher_secret

    secret = _get_new_csrf_string()
    browser.cookies["csrftoken"] = secret
    accepted = browser.post(
        "/open311/v2/requests.json", {"service_code": "pothole", **WHITE_TOWER}, HTTP_X_CSRFTOKEN=_mask_cipher_secret(secret)
    )
    assert accepted.status_code == 201, accepted.content


def test_api_key_rate_limit_gives_429(client):
    from issues.api_keys import api_key_create

    _key, raw = api_key_create(name="slow app", rate_limit_per_minute=2)
    statuses = [
        client.post("/open311/v2/requests.json", {"api_key": raw, "service_code": "pothole", **WHITE_TOWER}).status_code
        for _ in range(3)
    ]
    assert statuses == [201, 201, 429]
    assert Issue.objects.filter(api_key__name="slow app").count() == 2


def test_api_keys_are_stored_hashed(api_key):
    from issues.models import ApiKey

    stored = ApiKey.objects.get(name="test app")
    assert api_key not in (stored.key_hash, stored.prefix) and len(stored.key_hash) == 64


def test_create_outside_the_municipality_names_the_neighbour(post_report):
    response = post_report({"service_code": "pothole", "lat": "40.585", "long": "22.955"})
    assert response.status_code == 400
    assert response.json()[0]["description"] == (
        "location is outside the Municipality of Thessaloniki: it lies in Municipality of Kalamaria (9032)"
    )


def test_create_far_outside_says_outside_without_a_neighbour(post_report):
    response = post_report({"service_code": "pothole", "lat": "40.58", "long": "22.92"})  # the gulf
    assert response.status_code == 400
    assert response.json()[0]["description"] == "location is outside the Municipality of Thessaloniki"


def test_idempotent_retry_returns_the_first_answer_and_creates_nothing(post_report):
    data = {"service_code": "pothole", **WHITE_TOWER, "description": "hole"}
    first = post_report(data, HTTP_IDEMPOTENCY_KEY="retry-123")
    second = post_report(data, HTTP_IDEMPOTENCY_KEY="retry-123")
    assert first.status_code == 201 and second.status_code == 200
    assert second.json() == first.json()
    assert Issue.objects.filter(description="hole").count() == 1


def test_idempotency_key_reused_for_another_request_is_409(post_report):
    post_report({"service_code": "pothole", **WHITE_TOWER}, HTTP_IDEMPOTENCY_KEY="k1")
    response = post_report({"service_code": "pothole", **TOUMBA}, HTTP_IDEMPOTENCY_KEY="k1")
    assert response.status_code == 409
    assert "different request" in response.json()[0]["description"]
    assert Issue.objects.count() == 1


# --- tokens, one request, list ---------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_token_gives_the_request_id(client, fmt):
    issue = report()
    response = client.get(f"/open311/v2/tokens/{issue.token}.{fmt}")
    assert response.status_code == 200
    if fmt == "json":
        assert response.json() == [{"service_request_id": str(issue.pk), "token": str(issue.token)}]
    else:
        assert xml(response).findtext("request/service_request_id") == str(issue.pk)
    assert client.get(f"/open311/v2/tokens/nope.{fmt}").status_code == 404


def test_one_request_json_has_the_spec_fields_and_no_private_ones(client):
    issue = report(description="hole", reporter=Reporter(
        email="maria@example.org", first_name="Maria", last_name="Papadopoulou", phone="+302310000000"))
    body = client.get(f"/open311/v2/requests/{issue.pk}.json", {"extensions": "true"}).json()
    request = body[0]
    for name in ["service_request_id", "status", "status_notes", "service_name", "service_code", "description",
                 "agency_responsible", "service_notice", "requested_datetime", "updated_datetime",
                 "expected_datetime", "address", "address_id", "zipcode", "lat", "long", "media_url"]:
        assert name in request, name
    assert request["status"] == "open"
    assert request["extended_attributes"]["district"] == "D1"
    text = json.dumps(body, ensure_ascii=False)
    for private in ["maria@example.org", "Maria", "Papadopoulou", "+302310000000"]:
        assert private not in text


def test_one_request_xml_and_unknown_id(client):
    issue = report()
    root = xml(client.get(f"/open311/v2/requests/{issue.pk}.xml"))
    assert root.tag == "service_requests" and root.findtext("request/service_request_id") == str(issue.pk)
    assert client.get("/open311/v2/requests/999999.xml").status_code == 404
    assert client.get("/open311/v2/requests/abc.json").status_code == 404


def test_list_requests_json_and_xml(client):
    first, second = report(), report(code="street-light-out", lon=22.9760, lat=40.6120)
    ids = [r["service_request_id"] for r in client.get("/open311/v2/requests.json").json()]
    assert ids == [str(second.pk), str(first.pk)]
    root = xml(client.get("/open311/v2/requests.xml"))
    assert [r.findtext("service_request_id") for r in root.findall("request")] == ids


def test_list_filters_by_code_status_and_ids(client):
    pothole, light = report(), report(code="street-light-out")
    issue_transition(issue=light, to_status="resolved", actor="staff", note="fixed")
    by_code = client.get("/open311/v2/requests.json", {"service_code": "pothole"}).json()
    assert [r["service_request_id"] for r in by_code] == [str(pothole.pk)]
    closed = client.get("/open311/v2/requests.json", {"status": "closed"}).json()
    assert [r["service_request_id"] for r in closed] == [str(light.pk)]
    assert closed[0]["status_notes"] == "fixed"
    by_id = client.get("/open311/v2/requests.json", {"service_request_id": f"{pothole.pk},{light.pk}", "status": "open"}).json()
    assert len(by_id) == 2  # service_request_id overrides the other filters


def test_list_defaults_to_the_last_90_days(client):
    old, recent = report(), report()
    Issue.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=91))
    ids = [r["service_request_id"] for r in client.get("/open311/v2/requests.json").json()]
    assert ids == [str(recent.pk)]


def test_list_date_range_over_90_days_is_400(client):
    response = client.get("/open311/v2/requests.json", {"start_date": "2026-01-01T00:00:00Z", "end_date": "2026-06-01T00:00:00Z"})
    assert response.status_code == 400
    assert "at most 90 days" in response.json()[0]["description"]


@pytest.mark.parametrize(
    "params, message",
    [
        ({"start_date": "yesterday"}, "start_date: must be an ISO 8601"),
        ({"status": "pending"}, "status: must be open or closed"),
        ({"page": "0"}, "page: must be between 1 and 1000000, got 0"),
        ({"page_size": "5000"}, "page_size: must be between 1 and 1000, got 5000"),
        ({"bbox": "1,2,3"}, "bbox: needs 4 numbers"),
        ({"bbox": "23,40,22,41"}, "bbox: the minimum must not exceed"),
        ({"lat": "40.6", "long": "22.9", "radius": "-5"}, "radius: must be between 0 and 10000"),
        ({"radius": "100"}, "long: is required"),
        ({"extensions": "maybe"}, "extensions: must be one of true, 1, yes, on (true) or false, 0, no, off (false)"),
        ({"service_request_id": "1,x"}, "service_request_id: ids are whole numbers"),
    ],
)
def test_list_bad_parameters_are_400(client, params, message):
    response = client.get("/open311/v2/requests.json", params)
    assert response.status_code == 400
    assert response.json()[0]["description"].startswith(message)


def test_list_unknown_service_code_is_404(client):
    assert client.get("/open311/v2/requests.json", {"service_code": "nope"}).status_code == 404


def test_list_paging(client):
    issues = [report() for _ in range(5)]
    page1 = client.get("/open311/v2/requests.json", {"page_size": 2}).json()
    page3 = client.get("/open311/v2/requests.json", {"page_size": 2, "page": 3}).json()
    page4 = client.get("/open311/v2/requests.json", {"page_size": 2, "page": 4}).json()
    assert [r["service_request_id"] for r in page1] == [str(issues[4].pk), str(issues[3].pk)]
    assert [r["service_request_id"] for r in page3] == [str(issues[0].pk)]
    assert page4 == []


def test_list_bbox_and_radius_filters(client):
    centre, toumba = report(), report(lon=22.9760, lat=40.6120)
    in_box = client.get("/open311/v2/requests.json", {"bbox": "22.94,40.62,22.96,40.63"}).json()
    assert [r["service_request_id"] for r in in_box] == [str(centre.pk)]
    near = client.get("/open311/v2/requests.json", {"lat": "40.6120", "long": "22.9770", "radius": "100"}).json()
    assert [r["service_request_id"] for r in near] == [str(toumba.pk)]  # 85 m away


def test_list_query_count_does_not_grow_with_the_page(client, django_assert_max_num_queries):
    for _ in range(12):
        report()
    with django_assert_max_num_queries(4):
        body = client.get("/open311/v2/requests.json", {"extensions": "true"}).json()
    assert len(body) == 12
    assert body[0]["extended_attributes"]["possible_duplicates"]  # the same spot, the same category


def test_list_extensions_count_supports_and_comments(client):
    from issues.services.lifecycle import issue_support

    issue = report()
    issue_support(issue=issue, device_id="phone-1")
    issue_support(issue=issue, device_id="phone-2")
    issue_comment(issue=issue, text="Still there", actor="citizen")
    extended = client.get("/open311/v2/requests.json", {"extensions": "true"}).json()[0]["extended_attributes"]
    assert extended["supports"] == 2 and extended["comments"] == 1
    assert extended["department"] == "roads-pavements" and extended["priority"] == 2


# --- updates feed, unknown paths -------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_servicerequestupdates_lists_public_changes_and_comments(client, fmt):
    issue = report()
    issue_transition(issue=issue, to_status="in_progress", actor="staff", note="crew on the way")
    issue_transition(issue=issue, to_status="closed", actor="staff", note="internal only", public=False,
                     close_reason="no_further_action")
    issue_comment(issue=issue, text="Thanks!", actor="citizen", author_name="Nikos")
    response = client.get(f"/open311/v2/servicerequestupdates.{fmt}", {"service_request_id": str(issue.pk)})
    assert response.status_code == 200
    if fmt == "json":
        updates = response.json()
        assert [u["status"] for u in updates] == ["OPEN", "IN_PROGRESS", "NO_FURTHER_ACTION"]
        assert [u["description"] for u in updates] == ["reported", "crew on the way", "Thanks!"]
        assert "internal only" not in response.content.decode()
    else:
        root = xml(response)
        assert root.tag == "service_request_updates"
        assert [u.findtext("status") for u in root.findall("request_update")] == ["OPEN", "IN_PROGRESS", "NO_FURTHER_ACTION"]


@pytest.mark.parametrize("path", ["/open311/v2/nothing.json", "/open311/v2/requests", "/open311/whatever", "/open311/v2/services.csv"])
def test_unknown_open311_paths_are_json_404_not_html(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"].startswith(("application/json", "text/xml"))
    assert b"<html" not in response.content.lower()


def test_wrong_method_is_405_in_the_spec_format(client):
    response = client.delete("/open311/v2/services.xml")
    assert response.status_code == 405
    assert xml(response).findtext("error/code") == "405"


def test_broken_json_body_is_400(client, api_key):
    response = client.post("/open311/v2/requests.json", "{broken", content_type="application/json")
    assert response.status_code == 400
    assert response.json()[0]["description"].startswith("the request body cannot be read")


def test_an_unexpected_failure_is_a_json_500_not_an_html_page(client, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("issues.open311.views.categories_grouped", broken)
    response = client.get("/open311/v2/services.xml")
    assert response.status_code == 500
    assert xml(response).findtext("error/code") == "500"
    assert "disk on fire" not in response.content.decode()
