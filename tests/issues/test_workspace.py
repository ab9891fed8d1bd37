"""Department workspace: the permission matrix, the transition table, stale writes, the queue, KPIs, hotspots."""
from datetime import datetime, timezone as dt_timezone

import pytest
from django.contrib.auth.models import Group
from django.contrib.gis.geos import Point
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token

from issues.models import Category, Department, DepartmentMembership, Issue, Support, Watcher
from issues.services.lifecycle import issue_comment, issue_support, issue_transition
from issues.services.reporting import issue_report
from issues.services.submission import Reporter

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "roads_staff", "roads_manager", "lighting_staff", "planner", "admin"]


def report(code="pothole", lon=22.9484, lat=40.6264, **kwargs) -> Issue:
    return issue_report(category=Category.objects.get(service_code=code), point=Point(lon, lat, srid=4326),
                        actor="test", **kwargs).issue


@pytest.fixture
def people(django_user_model):
    roads = Department.objects.get(slug="roads-pavements")
    lighting = Department.objects.get(slug="street-lighting")
    users = {
        "roads_staff": django_user_model.objects.create_user("anna", password="pw-123456"),
        "roads_manager": django_user_model.objects.create_user("babis", password="pw-123456"),
        "lighting_staff": django_user_model.objects.create_user("chris", password="pw-123456"),
        "planner": django_user_model.objects.create_user("dora", password="pw-123456"),
        "admin": django_user_model.objects.create_superuser("eleni", password="pw-123456"),
    }
    DepartmentMembership.objects.create(user=users["roads_staff"], department=roads, role="staff")
    DepartmentMembership.objects.create(user=users["roads_manager"], department=roads, role="manager")
    DepartmentMembership.objects.create(user=users["lighting_staff"], department=lighting, role="staff")
    users["planner"].groups.add(Group.objects.get(name="civil-protection-planners"))
    return users


def client_for(people, role) -> Client:
    client = Client()
    if role != "anonymous":
        client.force_login(people[role])
    return client


def act(client, issue, action, version=None, **data):
    headers = {} if version is False else {"HTTP_IF_MATCH": f'"v{version or Issue.objects.get(pk=issue.pk).version}"'}
    return client.post(f"/api/issues/{issue.pk}/actions/{action}", data, content_type="application/json", **headers)


# --- the permission matrix -------------------------------------------------------------------

READ_EXPECTED = {"anonymous": 401, "roads_staff": 200, "roads_manager": 200, "lighting_staff": 403, "planner": 200, "admin": 200}
ACT_EXPECTED = {"anonymous": 401, "roads_staff": 200, "roads_manager": 200, "lighting_staff": 403, "planner": 403, "admin": 200}
REASSIGN_EXPECTED = {"anonymous": 401, "roads_staff": 403, "roads_manager": 200, "lighting_staff": 403, "planner": 403, "admin": 200}
STATS_EXPECTED = {"anonymous": 401, "roads_staff": 403, "roads_manager": 200, "lighting_staff": 403, "planner": 200, "admin": 200}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("path", ["/api/departments/roads-pavements/queue", "/api/issues/{id}"])
def test_permission_matrix_reads(people, role, path):
    issue = report()
    response = client_for(people, role).get(path.format(id=issue.pk))
    assert response.status_code == READ_EXPECTED[role], response.content


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action, data", [
    ("acknowledge", {}), ("start", {}), ("resolve", {"note": "done"}), ("close", {"reason": "no_further_action"}),
    ("public_update", {"note": "crew booked"}), ("internal_note", {"note": "call the contractor"}),
])
def test_permission_matrix_actions(people, role, action, data):
    issue = report()
    before = (issue.status, issue.version, issue.updates.count())
    response = act(client_for(people, role), issue, action, **data)
    assert response.status_code == ACT_EXPECTED[role], response.content
    if response.status_code != 200:
        issue.refresh_from_db()
        assert (issue.status, issue.version, issue.updates.count()) == before


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix_reassign(people, role):
    issue = report()
    response = act(client_for(people, role), issue, "reassign", department="street-lighting", reason="it is a lamp post")
    assert response.status_code == REASSIGN_EXPECTED[role], response.content
    issue.refresh_from_db()
    assert issue.department.slug == ("street-lighting" if response.status_code == 200 else "roads-pavements")


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("path", ["/api/stats/kpis", "/api/stats/districts", "/api/stats/hotspots", "/api/stats/heatmap"])
def test_permission_matrix_stats(people, role, path):
    assert client_for(people, role).get(path).status_code == STATS_EXPECTED[role]


def test_manager_sees_only_their_department_figures(people):
    client = client_for(people, "roads_manager")
    assert client.get("/api/stats/kpis").json()["department"] == "roads-pavements"
    assert client.get("/api/stats/kpis", {"department": "street-lighting"}).status_code == 403


def test_anonymous_gets_401_with_a_token_challenge(people):
    response = Client().get("/api/departments/roads-pavements/queue")
    assert response.status_code == 401 and response["WWW-Authenticate"] == "Token"


def test_token_authentication_for_api_clients(people):
    token = Token.objects.create(user=people["roads_staff"])
    response = Client().get("/api/departments/roads-pavements/queue", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200
    assert Client().get("/api/departments/roads-pavements/queue", HTTP_AUTHORIZATION="Token wrong").status_code == 401


def test_planner_does_not_see_reporter_details_staff_do(people):
    report(reporter=Reporter(email="maria@example.org", phone="+302310000000"))
    planner_view = client_for(people, "planner").get("/api/departments/roads-pavements/queue").content.decode()
    staff_view = client_for(people, "roads_staff").get("/api/departments/roads-pavements/queue").content.decode()
    assert "maria@example.org" not in planner_view and "maria@example.org" in staff_view


# --- the transition table --------------------------------------------------------------------

ACTIONS = {"acknowledge": "acknowledged", "start": "in_progress", "resolve": "resolved", "close": "closed", "reopen": "reopened"}
ALLOWED = {
    "new": {"acknowledge", "start", "resolve", "close"},
    "acknowledged": {"start", "resolve", "close"},
    "in_progress": {"resolve", "close"},
    "resolved": {"close", "reopen"},
    "closed": {"reopen"},
    "reopened": {"acknowledge", "start", "resolve", "close"},
}
PATH_TO = {
    "new": [], "acknowledged": ["acknowledged"], "in_progress": ["in_progress"], "resolved": ["resolved"],
    "closed": ["closed"], "reopened": ["resolved", "reopened"],
}


@pytest.mark.parametrize("state", list(ALLOWED))
@pytest.mark.parametrize("action", list(ACTIONS))
def test_transition_table(people, state, action):
    issue = report()
    for step in PATH_TO[state]:
        issue_transition(issue=issue, to_status=step, actor="setup", close_reason="no_further_action" if step == "closed" else "")
    response = act(client_for(people, "roads_staff"), issue, action, reason="duplicate" if action == "close" else "")
    issue.refresh_from_db()
    if action in ALLOWED[state]:
        assert response.status_code == 200, response.content
        assert issue.status == ACTIONS[action]
    else:
        assert response.status_code == 409
        body = response.json()
        assert set(body["allowed"]) == ALLOWED[state]
        assert f"cannot become {ACTIONS[action]}" in body["detail"]
        assert issue.status == state


def test_close_without_a_reason_is_400(people):
    issue = report()
    response = act(client_for(people, "roads_staff"), issue, "close")
    assert response.status_code == 400 and "closing needs a reason" in response.json()["detail"]


def test_every_change_is_in_the_history_with_actor_and_before_after(people):
    issue = report()
    client = client_for(people, "roads_manager")
    act(client, issue, "acknowledge")
    act(client, issue, "reassign", department="street-lighting", reason="lamp post")
    history = client_for(people, "planner").get(f"/api/issues/{issue.pk}").json()["properties"]["history"]
    assert [(h["kind"], h["actor"]) for h in history] == [("status", "test"), ("status", "babis"), ("reassign", "babis")]
    assert history[1]["changes"] == {"status": ["new", "acknowledged"]}
    assert history[2]["changes"] == {"department": ["roads-pavements", "street-lighting"]}


# --- stale writes ----------------------------------------------------------------------------


def test_second_write_with_a_stale_version_is_409(people):
    issue = report()
    first, second = client_for(people, "roads_staff"), client_for(people, "roads_manager")
    etag = first.get(f"/api/issues/{issue.pk}")["ETag"]
    assert second.get(f"/api/issues/{issue.pk}")["ETag"] == etag
    ok = first.post(f"/api/issues/{issue.pk}/actions/start", {}, content_type="application/json", HTTP_IF_MATCH=etag)
    stale = second.post(f"/api/issues/{issue.pk}/actions/close", {"reason": "no_further_action"},
                        content_type="application/json", HTTP_IF_MATCH=etag)
    assert ok.status_code == 200 and ok["ETag"] != etag
    assert stale.status_code == 409 and "changed since you loaded it" in stale.json()["detail"]
    issue.refresh_from_db()
    assert issue.status == "in_progress"


def test_write_without_if_match_is_428(people):
    issue = report()
    response = act(client_for(people, "roads_staff"), issue, "start", version=False)
    assert response.status_code == 428
    issue.refresh_from_db()
    assert issue.status == "new"


def test_version_field_works_instead_of_if_match(people):
    issue = report()
    response = client_for(people, "roads_staff").post(f"/api/issues/{issue.pk}/actions/start", {"version": issue.version},
                                                      content_type="application/json")
    assert response.status_code == 200


# --- reassign, duplicate, notes --------------------------------------------------------------


def test_reassign_needs_a_reason_and_lands_in_the_other_queue_at_once(people):
    issue = report()
    manager = client_for(people, "roads_manager")
    assert act(manager, issue, "reassign", department="street-lighting").status_code == 400
    assert act(manager, issue, "reassign", department="street-lighting", reason="lamp post").status_code == 200
    queue = client_for(people, "lighting_staff").get("/api/departments/street-lighting/queue").json()
    assert [f["id"] for f in queue["features"]] == [issue.pk]
    assert client_for(people, "roads_staff").get(f"/api/issues/{issue.pk}").status_code == 403


def test_mark_duplicate_moves_supports_and_watchers(people):
    original = report(reporter=Reporter(email="first@example.org"))
    copy = report(reporter=Reporter(email="second@example.org"))
    issue_support(issue=copy, device_id="phone-1")
    issue_support(issue=copy, device_id="phone-2")
    issue_support(issue=original, device_id="phone-1")
    response = act(client_for(people, "roads_staff"), copy, "duplicate", duplicate_of=original.pk)
    assert response.status_code == 200, response.content
    copy.refresh_from_db()
    assert (copy.status, copy.close_reason, copy.duplicate_of_id) == ("closed", "duplicate", original.pk)
    assert sorted(Support.objects.filter(issue=original).values_list("device_id", flat=True)) == ["phone-1", "phone-2"]
    assert list(Watcher.objects.filter(issue=original).values_list("email", flat=True)) == ["second@example.org"]
    issue_transition(issue=original, to_status="resolved", actor="staff", note="fixed")
    told = set(original.notifications.filter(kind="status_change").values_list("recipient", flat=True))
    assert told == {"first@example.org", "second@example.org"}


def test_public_update_and_internal_note(people):
    issue = report()
    client = client_for(people, "roads_staff")
    act(client, issue, "public_update", note="Crew booked for Monday")
    act(client, issue, "internal_note", note="Contractor X")
    issue.refresh_from_db()
    assert issue.status_notes == "Crew booked for Monday"
    feed = Client().get("/open311/v2/servicerequestupdates.json", {"service_request_id": issue.pk}).content.decode()
    assert "Crew booked" in feed and "Contractor X" not in feed
    assert act(client, issue, "internal_note", note=" ").status_code == 400


def test_action_note_that_is_not_a_string_is_400_naming_it(people):
    issue = report()
    response = act(client_for(people, "roads_staff"), issue, "internal_note", note={"text": "Crew booked"})
    assert response.status_code == 400 and response.json()["parameter"] == "note"
    assert Issue.objects.get(pk=issue.pk).version == issue.version


def test_action_public_that_is_not_a_boolean_is_400_naming_it(people):
    issue = report()
    response = act(client_for(people, "roads_staff"), issue, "acknowledge", public="perhaps")
    assert response.status_code == 400 and response.json()["parameter"] == "public"
    assert Issue.objects.get(pk=issue.pk).status == issue.status


def test_action_duplicate_of_that_is_not_a_number_is_400_naming_it(people):
    issue = report()
    response = act(client_for(people, "roads_staff"), issue, "duplicate", duplicate_of="the other one")
    assert response.status_code == 400
    assert (response.json()["parameter"], response.json()["code"]) == ("duplicate_of", "invalid")


def test_action_photo_that_is_not_a_file_is_400_naming_it(people):
    issue = report()
    response = act(client_for(people, "roads_staff"), issue, "resolve", note="filled", photo="holes.jpg")
    assert response.status_code == 400 and response.json()["parameter"] == "photo"
    assert Issue.objects.get(pk=issue.pk).status == issue.status


def test_unknown_action_and_issue(people):
    issue = report()
    client = client_for(people, "roads_staff")
    assert act(client, issue, "demolish").status_code == 400
    assert client.post("/api/issues/999999/actions/start", {}, content_type="application/json", HTTP_IF_MATCH='"v1"').status_code == 404


# --- the queue -------------------------------------------------------------------------------


def test_queue_filters_sorts_and_counts(people):
    near = report(lon=22.9484, lat=40.6264)
    far = report(lon=22.9760, lat=40.6120)
    light = report("street-light-out")
    Issue.objects.filter(pk=far.pk).update(priority=4)
    issue_transition(issue=near, to_status="in_progress", actor="t")
    client = client_for(people, "roads_staff")
    body = client.get("/api/departments/roads-pavements/queue").json()
    assert body["type"] == "FeatureCollection" and body["numberMatched"] == 2
    assert [f["id"] for f in body["features"]] == [far.pk, near.pk]  # highest priority first
    assert body["counts"]["new"] == 1 and body["counts"]["in_progress"] == 1
    assert light.pk not in [f["id"] for f in body["features"]]
    by_distance = client.get("/api/departments/roads-pavements/queue", {"sort": "distance", "lat": "40.6265", "long": "22.9485"}).json()
    assert [f["id"] for f in by_distance["features"]] == [near.pk, far.pk]
    assert by_distance["features"][0]["properties"]["distance_m"] < 20
    only_new = client.get("/api/departments/roads-pavements/queue", {"status": "new"}).json()
    assert [f["id"] for f in only_new["features"]] == [far.pk] and only_new["counts"]["in_progress"] == 1
    in_d4 = client.get("/api/departments/roads-pavements/queue", {"district": "D4"}).json()
    assert [f["id"] for f in in_d4["features"]] == [far.pk]


def test_queue_shows_each_reports_supports_and_comments_and_matches_the_chosen_statuses(people):
    busy, quiet, started = report(), report(lon=22.9500, lat=40.6300), report(lon=22.9510, lat=40.6310)
    for device in ("a", "b"):
        issue_support(issue=busy, device_id=device)
    for text in ("one", "two", "three"):
        issue_comment(issue=busy, text=text, actor="c")
    issue_transition(issue=started, to_status="in_progress", actor="t")
    client = client_for(people, "roads_staff")
    body = client.get("/api/departments/roads-pavements/queue", {"sort": "age"}).json()
    counted = {f["id"]: (f["properties"]["supports"], f["properties"]["comments"]) for f in body["features"]}
    assert counted == {busy.pk: (2, 3), quiet.pk: (0, 0), started.pk: (0, 0)}  # neither multiplies the other
    only_new = client.get("/api/departments/roads-pavements/queue", {"status": "new"}).json()
    assert only_new["numberMatched"] == only_new["counts"]["new"] == 2 == len(only_new["features"])
    both = client.get("/api/departments/roads-pavements/queue", {"status": "new,in_progress"}).json()
    assert both["numberMatched"] == 3 == len(both["features"])

@pytest.mark.parametrize("params, message", [
    ({"status": "pending"}, "status: unknown status"),
    ({"sort": "colour"}, "sort: one of"),
    ({"sort": "distance"}, "lat, long: sort=distance needs lat and long"),
    ({"page_size": "0"}, "page_size: must be between 1 and 500"),
    ({"bbox": "1,2"}, "bbox: needs 4 numbers"),
    ({"created_from": "last week"}, "created_from: must be an ISO 8601"),
    ({"priority": "9"}, "priority: comma-separated numbers"),
    ({"priority": "1,x"}, "priority: comma-separated numbers from 1 (low) to 4 (urgent), got 'x'"),
    ({"status": "new,pending"}, "status: unknown status 'pending'; one of new, acknowledged"),
    ({"created_to": "2026-13-01"}, "created_to: must be an ISO 8601"),
    ({"bbox": "22.9,40.6,22.8,40.7"}, "bbox: the minimum must not exceed the maximum"),
])
def test_queue_bad_parameters_are_400(people, params, message):
    response = client_for(people, "roads_staff").get("/api/departments/roads-pavements/queue", params)
    assert response.status_code == 400 and response.json()["detail"].startswith(message)


def test_queue_bbox_keeps_the_reports_in_the_box_edges_included(people):
    near, far = report(lon=22.9484, lat=40.6264), report(lon=22.9760, lat=40.6120)
    client = client_for(people, "roads_staff")
    body = client.get("/api/departments/roads-pavements/queue", {"bbox": "22.9484,40.6264,22.95,40.63"}).json()
    assert [f["id"] for f in body["features"]] == [near.pk] and body["numberMatched"] == 1
    assert far.pk in [f["id"] for f in client.get("/api/departments/roads-pavements/queue").json()["features"]]


def test_queue_list_filters_ignore_spaces_and_empty_items(people):
    started, fresh = report(), report(lon=22.9500, lat=40.6300)
    issue_transition(issue=started, to_status="in_progress", actor="t")
    body = client_for(people, "roads_staff").get("/api/departments/roads-pavements/queue",
                                                 {"status": " new , in_progress,", "district": ""}).json()
    assert sorted(f["id"] for f in body["features"]) == sorted([started.pk, fresh.pk])


def test_queue_filters_are_described_in_the_openapi_document_from_the_filterset(client):
    operation = client.get("/api/schema/", {"format": "json"}).json()["paths"]["/api/departments/{slug}/queue"]["get"]
    described = {p["name"]: p for p in operation["parameters"]}
    assert {"status", "category", "district", "created_from", "created_to", "priority", "q", "bbox"} <= set(described)
    assert described["status"]["schema"] == {"type": "array", "items": {"type": "string", "enum": sorted(Issue.Status.values)}}
    assert (described["status"]["style"], described["status"]["explode"]) == ("form", False)
    assert described["created_from"]["schema"] == {"type": "string", "format": "date-time"}
    assert described["bbox"]["schema"]["minItems"] == described["bbox"]["schema"]["maxItems"] == 4


def test_queue_query_count_does_not_grow_with_the_page(people):
    for _ in range(12):
        report()
    client = client_for(people, "roads_staff")
    client.get("/api/departments/roads-pavements/queue", {"page_size": 2})  # warm the session
    with CaptureQueriesContext(connection) as small:
        client.get("/api/departments/roads-pavements/queue", {"page_size": 2})
    with CaptureQueriesContext(connection) as large:
        assert len(client.get("/api/departments/roads-pavements/queue", {"page_size": 12}).json()["features"]) == 12
    assert len(large.captured_queries) == len(small.captured_queries) <= 10


# --- KPIs on a hand-built set ----------------------------------------------------------------


def at(day: str) -> datetime:
    return datetime.fromisoformat(day).replace(tzinfo=dt_timezone.utc)


def test_kpis_on_a_hand_built_set(people, django_user_model):
    one, two, three, four, five, outside = (report() for _ in range(6))
    Issue.objects.filter(pk=one.pk).update(created_at=at("2026-01-05T12:00"), resolved_at=at("2026-01-07T12:00"), status="resolved")
    Issue.objects.filter(pk=two.pk).update(created_at=at("2026-01-10T12:00"), resolved_at=at("2026-01-20T12:00"), status="closed",
                                           close_reason="no_further_action")
    Issue.objects.filter(pk=three.pk).update(created_at=at("2026-01-15T12:00"), status="reopened", reopened_count=1)
    Issue.objects.filter(pk=four.pk).update(created_at=at("2026-02-01T12:00"), status="new")
    Issue.objects.filter(pk=five.pk).update(created_at=at("2026-02-20T12:00"), status="closed", close_reason="duplicate")
    Issue.objects.filter(pk=outside.pk).update(created_at=at("2025-12-20T12:00"), resolved_at=at("2025-12-21T12:00"), status="resolved")
    issue_comment(issue=one, text="thanks", actor="c")
    issue_comment(issue=one, text="great", actor="c")
    issue_comment(issue=four, text="still there", actor="c")
    issue_support(issue=two, device_id="a")
    issue_support(issue=two, device_id="b")
    for name, joined in [("c1", "2026-01-03"), ("c2", "2026-01-20"), ("c3", "2025-06-01"), ("c4", "2026-04-01")]:
        django_user_model.objects.create_user(name, password="pw-123456", date_joined=at(f"{joined}T09:00"))

    body = client_for(people, "planner").get("/api/stats/kpis", {"from": "2026-01-01T00:00:00Z", "to": "2026-03-01T00:00:00Z"}).json()
    # Worked by hand: five reports in range; one and two solved (2 and 10 days); three reopened;
    # open at 1 March: three (45 days old) and four (28 days old); four of five ever finished or reopened.
    assert body["posted"] == 5
    assert body["solved"] == 2 and body["share_solved"] == 0.4
    assert body["mean_days_to_resolve"] == 6.0 and body["median_days_to_resolve"] == 6.0
    assert body["reopen_rate"] == 0.25
    assert body["backlog_by_age"] == {"under_7_days": 0, "7_to_30_days": 1, "30_to_90_days": 1, "over_90_days": 0}
    assert body["comments"] == 3 and body["supports"] == 2
    assert body["registered_users"] == 3 and body["new_registered_users"] == 2
    assert body["per_month"] == [{"month": "2026-01", "posted": 3, "solved": 2}, {"month": "2026-02", "posted": 2, "solved": 0}]

    csv_text = client_for(people, "planner").get("/api/stats/kpis", {"from": "2026-01-01T00:00:00Z", "to": "2026-03-01T00:00:00Z",
                                                                      "format": "csv"}).content.decode()
    assert "share_solved,0.4" in csv_text and "posted_2026-01,3" in csv_text and "backlog_30_to_90_days,1" in csv_text


def test_kpis_by_district_for_a_choropleth(people):
    report(lon=22.9760, lat=40.6120)  # D4
    report(lon=22.9760, lat=40.6121)
    body = client_for(people, "planner").get("/api/stats/districts").json()
    assert body["type"] == "FeatureCollection" and len(body["features"]) == 6
    d4 = next(f for f in body["features"] if f["id"] == "D4")
    assert d4["properties"]["posted"] == 2 and d4["properties"]["open"] == 2 and d4["geometry"]["type"] == "MultiPolygon"
    assert next(f for f in body["features"] if f["id"] == "D1")["properties"]["posted"] == 0


def test_kpis_bad_parameters(people):
    client = client_for(people, "planner")
    assert client.get("/api/stats/kpis", {"from": "soon"}).status_code == 400
    assert client.get("/api/stats/kpis", {"from": "2026-03-01", "to": "2026-01-01"}).status_code == 400
    assert client.get("/api/stats/kpis", {"district": "D9"}).status_code == 400


# --- hotspots on hand-placed points ----------------------------------------------------------


def metres_east(lon, lat, metres):
    from tests.issues.test_reports import projected

    return projected(lon, lat, metres, 90)


def test_hotspots_on_hand_placed_points(people):
    base_a, base_b = (22.9440, 40.6340), (22.9760, 40.6120)
    for metres in (0, 20, 40, 60):  # cluster A: four potholes 20 m apart
        p = metres_east(*base_a, metres)
        report("pothole", p.x, p.y)
    for metres, code in ((0, "litter"), (25, "litter"), (50, "pothole")):  # cluster B: litter dominates
        p = metres_east(*base_b, metres)
        report(code, p.x, p.y)
    report("pothole", 22.9600, 40.6020)  # alone
    far = metres_east(*base_a, 500)
    report("pothole", far.x, far.y)  # 440 m from cluster A: alone
    body = client_for(people, "planner").get("/api/stats/hotspots", {"eps_m": 30, "min_size": 3}).json()
    clusters = [(f["properties"]["reports"], f["properties"]["dominant_category"], f["properties"]["dominant_category_reports"])
                for f in body["features"]]
    assert clusters == [(4, "pothole", 4), (3, "litter", 2)]
    assert body["features"][0]["geometry"]["type"] in ("Polygon", "LineString")  # nearly collinear points
    tighter = client_for(people, "planner").get("/api/stats/hotspots", {"eps_m": 15, "min_size": 3}).json()
    assert tighter["features"] == []
    assert client_for(people, "planner").get("/api/stats/hotspots", {"eps_m": "-1"}).status_code == 400


def test_heatmap_counts_open_issues_per_cell(people):
    for _ in range(3):
        report("pothole", 22.9440, 40.6340)
    report("pothole", 22.9760, 40.6120)
    done = report("pothole", 22.9760, 40.6120)
    issue_transition(issue=done, to_status="resolved", actor="t")
    body = client_for(people, "planner").get("/api/stats/heatmap", {"cell_m": 500}).json()
    assert sorted(f["properties"]["reports"] for f in body["features"]) == [1, 3]
    assert body["features"][0]["geometry"]["type"] == "Polygon"


def test_resolve_with_a_photo_keeps_it_without_exif(people):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from tests.issues.conftest import jpeg_with_gps

    issue = report()
    photo = SimpleUploadedFile("after.jpg", jpeg_with_gps(800, 600), content_type="image/jpeg")
    response = client_for(people, "roads_staff").post(
        f"/api/issues/{issue.pk}/actions/resolve", {"note": "filled", "photo": photo}, HTTP_IF_MATCH=f'"v{issue.version}"'
    )
    assert response.status_code == 200, response.content
    update = issue.updates.get(to_status="resolved")
    assert update.photo and not Image.open(update.photo.path).getexif()
    feed = Client().get("/open311/v2/servicerequestupdates.json", {"service_request_id": issue.pk}).json()
    assert feed[-1]["status"] == "FIXED" and feed[-1]["media_url"].endswith(update.photo.url)
    bad = SimpleUploadedFile("after.jpg", b"not an image", content_type="image/jpeg")
    issue_transition(issue=issue, to_status="reopened", actor="t")
    issue.refresh_from_db()
    response = client_for(people, "roads_staff").post(
        f"/api/issues/{issue.pk}/actions/resolve", {"photo": bad}, HTTP_IF_MATCH=f'"v{issue.version}"'
    )
    assert response.status_code == 400 and response.json()["detail"].startswith("photo:")
    issue.refresh_from_db()
    assert issue.status == "reopened"
