"""The participation API as a client sees it: statuses, messages, nothing stored on a refusal, no personal data."""
import json

import pytest
from django.contrib.gis.geos import Point
from rest_framework.test import APIClient

from issues.models import Category
from issues.services.reporting import issue_report
from participation.models import Ballot, MunicipalProject, Project, Proposal, ProposalCategory, Support

from .conftest import inside_point, make_budget, make_process, municipality_point, set_phase, shared_boundary

pytestmark = pytest.mark.django_db
API = "/api/participation"


def client_for(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def geojson(geom) -> dict:
    return json.loads(geom.json)


@pytest.fixture
def process():
    ProposalCategory.objects.create(slug="green", name_el="Πράσινο", name_en="Green")
    return make_process(open_phase="proposals", slug="pb-2027", support_threshold=1)


def create(client, process, **body):
    body = {"title": "Trees on Tsimiski street", "body": "Plant plane trees.", "publish": True, **body}
    return client.post(f"{API}/processes/{process.slug}/proposals", body, format="json")


def test_api_process_lists_phases_current_phase_and_allowed_actions(process):
    response = client_for().get(f"{API}/processes/{process.slug}")
    body = response.json()
    assert response.status_code == 200
    assert [p["kind"] for p in body["phases"]][:3] == ["information", "proposals", "supports"]
    assert body["current_phase"] == "proposals" and body["allowed_actions"] == ["propose", "comment"]
    assert body["districts"] == []  # the whole city


def test_api_proposal_created_with_a_polygon_gets_its_districts(process, resident):
    middle = shared_boundary("D1", "D2").interpolate_normalized(0.5)
    polygon = Point(middle.x, middle.y, srid=4326).buffer(0.0015)
    response = create(client_for(resident("D1")), process, place=geojson(polygon), category="green")
    body = response.json()
    assert response.status_code == 201, body
    assert {d["code"] for d in body["districts"]} == {"D1", "D2"}
    assert body["geometry_kind"] == "polygon" and body["state"] == "published" and body["is_author"] is True
    assert "author" not in body


def test_api_invalid_polygon_is_400_and_nothing_stored(process, resident):
    bowtie = {"type": "Polygon", "coordinates": [[[22.94, 40.63], [22.95, 40.64], [22.95, 40.63], [22.94, 40.64],
                                                   [22.94, 40.63]]]}
    response = create(client_for(resident("D1")), process, place=bowtie)
    assert response.status_code == 400 and "Self-intersection" in response.json()["detail"]
    assert Proposal.objects.count() == 0


def test_api_place_in_a_neighbouring_municipality_is_400_naming_it(process, resident):
    response = create(client_for(resident("D1")), process, place=geojson(municipality_point("9032")))
    assert response.status_code == 400 and "Kalamaria" in response.json()["detail"]


def test_api_anonymous_proposal_is_401(process):
    response = create(client_for(), process)
    assert response.status_code == 401 and "sign in" in response.json()["detail"]


def test_api_support_outside_the_phase_is_409_with_the_dates(process, resident):
    proposal_id = create(client_for(resident("D1")), process, place=geojson(inside_point("D1"))).json()["id"]
    response = client_for(resident("D1")).post(f"{API}/proposals/{proposal_id}/support")
    body = response.json()
    assert response.status_code == 409
    assert body["phase"] == "supports" and body["starts_at"] and body["ends_at"] and body["current_phase"] == "proposals"
    assert Support.objects.count() == 0


def test_api_support_not_verified_is_403_saying_how(process, resident):
    proposal_id = create(client_for(resident("D1")), process, place=geojson(inside_point("D1"))).json()["id"]
    set_phase(process, "supports")
    response = client_for(resident("D1", verify=False)).post(f"{API}/proposals/{proposal_id}/support")
    assert response.status_code == 403 and "verification/residence" in response.json()["detail"]


def test_api_support_and_withdraw(process, resident):
    proposal_id = create(client_for(resident("D1")), process, place=geojson(inside_point("D1"))).json()["id"]
    set_phase(process, "supports")
    supporter = client_for(resident("D1"))
    given = supporter.post(f"{API}/proposals/{proposal_id}/support").json()
    assert given == {"support_count": 1, "state": "qualified", "supported_by_me": True}
    assert supporter.get(f"{API}/proposals/{proposal_id}").json()["supported_by_me"] is True
    assert supporter.delete(f"{API}/proposals/{proposal_id}/support").json()["support_count"] == 0


def test_api_edit_keeps_history_and_co_author_edits(process, resident):
    author, coauthor = resident("D1"), resident("D2")
    proposal_id = create(client_for(author), process, publish=False).json()["id"]
    assert client_for(author).post(f"{API}/proposals/{proposal_id}/coauthors", {"username": coauthor.username},
                                   format="json").status_code == 201
    assert client_for(coauthor).patch(f"{API}/proposals/{proposal_id}", {"title": "x"}, format="json").status_code == 403  # invited, not yet joined
    client_for(coauthor).post(f"{API}/proposals/{proposal_id}/coauthors/accept")
    edited = client_for(coauthor).patch(f"{API}/proposals/{proposal_id}", {"title": "Trees and benches"}, format="json")
    assert edited.status_code == 200 and edited.json()["title"] == "Trees and benches"
    history = client_for().get(f"{API}/proposals/{proposal_id}/history")
    assert history.status_code == 404  # a draft is not public
    client_for(author).post(f"{API}/proposals/{proposal_id}/publish")
    events = client_for().get(f"{API}/proposals/{proposal_id}/history").json()
    assert [e["title"] for e in events if e["kind"] == "edit"] == ["Trees on Tsimiski street", "Trees and benches"]
    assert [e["to_state"] for e in events if e["kind"] == "state"] == ["draft", "published"]
    assert all("actor" not in e for e in events)


def test_api_staff_answer_with_reason_is_public(process, resident, staff):
    proposal_id = create(client_for(resident("D1")), process).json()["id"]
    refused = client_for(staff).post(f"{API}/proposals/{proposal_id}/answer", {"state": "rejected"}, format="json")
    assert refused.status_code == 400 and "reason" in refused.json()["detail"]
    done = client_for(staff).post(f"{API}/proposals/{proposal_id}/answer",
                                  {"state": "rejected", "reason": "The street is a heritage zone."}, format="json")
    assert done.status_code == 200 and done.json()["answer"] == "The street is a heritage zone."
    last = client_for().get(f"{API}/proposals/{proposal_id}/history").json()[-1]
    assert (last["to_state"], last["reason"], last["by_city"]) == ("rejected", "The street is a heritage zone.", True)
    wrong = client_for(staff).post(f"{API}/proposals/{proposal_id}/answer", {"state": "done"}, format="json")
    assert wrong.status_code == 409


def test_api_answer_by_a_citizen_is_403(process, resident):
    proposal_id = create(client_for(resident("D1")), process).json()["id"]
    response = client_for(resident("D1")).post(f"{API}/proposals/{proposal_id}/answer",
                                               {"state": "accepted", "reason": "x"}, format="json")
    assert response.status_code == 403


def test_api_similar_proposals_ignore_greek_accents_and_find_nearby(process, resident):
    author = client_for(resident("D1"))
    create(author, process, title="Ποδηλατόδρομος στην παραλία", place=geojson(inside_point("D1")))
    create(author, process, title="Unrelated fountain repair", place=geojson(inside_point("D4")))
    response = client_for().post(f"{API}/processes/{process.slug}/similar",
                                 {"title": "ΠΟΔΗΛΑΤΟΔΡΟΜΟΣ ΠΑΡΑΛΙΑ"}, format="json")
    assert [r["title"] for r in response.json()] == ["Ποδηλατόδρομος στην παραλία"]
    near = client_for().post(f"{API}/processes/{process.slug}/similar",
                             {"title": "something else entirely", "place": geojson(inside_point("D4"))}, format="json")
    assert [r["title"] for r in near.json()] == ["Unrelated fountain repair"] and near.json()[0]["metres"] == 0


def test_api_open_reports_near_a_proposal(process, resident):
    point = inside_point("D1")
    issue_report(category=Category.objects.get(service_code="pothole"), point=point, actor="test")
    far = issue_report(category=Category.objects.get(service_code="pothole"), point=inside_point("D4"), actor="test")
    proposal_id = create(client_for(resident("D1")), process, place=geojson(point)).json()["id"]
    reports = client_for().get(f"{API}/proposals/{proposal_id}/nearby-reports").json()
    assert far.issue.id not in [r["id"] for r in reports] and reports[0]["metres"] == 0
    assert set(reports[0]) == {"id", "service_code", "category_en", "category_el", "status", "created_at", "lon", "lat",
                               "metres"}


def test_api_report_into_a_proposal_by_its_reporter(process, resident):
    reporter = resident("D1")
    result = issue_report(category=Category.objects.get(service_code="pothole"), point=inside_point("D1"),
                          actor="test", description="Broken pavement by the school", user=reporter)
    response = client_for(reporter).post(f"{API}/processes/{process.slug}/from-report",
                                         {"issue_id": result.issue.id, "title": "Repave the school street"},
                                         format="json")
    assert response.status_code == 201
    body = response.json()
    assert (body["from_issue"], body["state"], body["districts"][0]["code"]) == (result.issue.id, "draft", "D1")
    other = client_for(resident("D1")).post(f"{API}/processes/{process.slug}/from-report",
                                            {"issue_id": result.issue.id}, format="json")
    assert other.status_code == 403


def test_api_comment_hidden_shows_reason_not_text(process, resident, staff):
    proposal_id = create(client_for(resident("D1")), process).json()["id"]
    comment = client_for(resident("D2")).post(f"{API}/proposals/{proposal_id}/comments", {"body": "Rude words"},
                                              format="json").json()
    client_for(staff).post(f"{API}/comments/{comment['id']}/hide", {"reason": "insult"}, format="json")
    listed = client_for().get(f"{API}/proposals/{proposal_id}/comments").json()
    assert listed[0]["hidden"] is True and listed[0]["body"] == "" and listed[0]["hidden_reason"] == "insult"


def test_api_ballot_over_budget_is_400_naming_the_excess(resident):
    process = make_process(open_phase="voting", slug="vote-now")
    budget = make_budget(process, amount=1000, district="D1")
    a, b = [Project.objects.create(budget=budget, title_el="x", title_en="x", cost=cost) for cost in (700, 600)]
    voter = client_for(resident("D1"))
    response = voter.put(f"{API}/budgets/{budget.id}/ballot", {"projects": [a.id, b.id]}, format="json")
    assert response.status_code == 400 and response.json()["excess"] == 300 and "300 € over" in response.json()["detail"]
    assert Ballot.objects.count() == 0
    stored = voter.put(f"{API}/budgets/{budget.id}/ballot", {"projects": [a.id]}, format="json")
    assert stored.json() == {"budget": budget.id, "projects": [a.id], "total_cost": 700, "voted": True}
    assert voter.get(f"{API}/budgets/{budget.id}/ballot").json()["projects"] == [a.id]
    early = client_for().get(f"{API}/budgets/{budget.id}/results")
    assert early.status_code == 409 and early.json()["phase"] == "voting"


def test_api_results_after_voting_hold_counts_only(resident):
    process = make_process(open_phase="voting", slug="results-soon")
    budget = make_budget(process, amount=1000, district="D1")
    a, b = [Project.objects.create(budget=budget, title_el="x", title_en="x", cost=cost) for cost in (700, 600)]
    for chosen in ([a], [a], [b]):
        client_for(resident("D1")).put(f"{API}/budgets/{budget.id}/ballot", {"projects": [p.id for p in chosen]},
                                       format="json")
    set_phase(process, "results")
    body = client_for().get(f"{API}/processes/{process.slug}/results").json()[0]
    assert [(p["project_id"], p["votes"], p["selected"]) for p in body["projects"]] == [(a.id, 2, True), (b.id, 1, False)]
    assert body["ballots"] == 3 and "cheaper" in body["tie_rule"]
    text = json.dumps(body)
    assert "voter" not in text and "user" not in text


def test_api_figures_json_and_csv(process, resident):
    author = resident("D1")
    create(client_for(author), process, place=geojson(inside_point("D1")))
    MunicipalProject.objects.create(title_el="α", title_en="a", year=2026, process=process)
    MunicipalProject.objects.create(title_el="β", title_en="b", year=2026)
    body = client_for().get(f"{API}/figures?by=district").json()
    d1 = next(r for r in body["rows"] if r["key"] == "D1")
    assert d1["proposals"] == 1 and d1["participants"] == 1
    assert body["totals"]["participatory_share"] == 0.5 and body["totals"]["initiatives"] >= 1
    csv_response = client_for().get(f"{API}/figures?by=month&format=csv")
    assert csv_response["Content-Type"].startswith("text/csv")
    assert csv_response.content.decode().splitlines()[0].startswith("month,initiatives,participants")
    assert client_for().get(f"{API}/figures?by=nothing").status_code == 400


def test_api_proposal_list_filters_without_n_plus_one(process, resident, django_assert_max_num_queries):
    author = client_for(resident("D1"))
    for i in range(5):
        create(author, process, title=f"Idea {i}", place=geojson(inside_point("D1" if i % 2 else "D3")))
    with django_assert_max_num_queries(8):
        response = client_for().get(f"{API}/processes/{process.slug}/proposals?district=D3")
    assert response.json()["count"] == 3


@pytest.mark.parametrize("mine", ["true", "1", "yes", "on", "YES"])
def test_api_proposal_list_mine_in_each_true_spelling_lists_your_drafts(process, resident, mine):
    author = resident("D1")
    draft_id = create(client_for(author), process, title="My draft", publish=False).json()["id"]
    create(client_for(resident("D2")), process, title="Someone else's idea")
    listed = client_for(author).get(f"{API}/processes/{process.slug}/proposals", {"mine": mine}).json()
    assert [p["id"] for p in listed["results"]] == [draft_id]


@pytest.mark.parametrize("mine", ["false", "0", "no", "off", ""])
def test_api_proposal_list_mine_in_each_false_spelling_lists_the_public_proposals(process, resident, mine):
    author = resident("D1")
    create(client_for(author), process, title="My draft", publish=False)
    public_id = create(client_for(resident("D2")), process, title="Someone else's idea").json()["id"]
    listed = client_for(author).get(f"{API}/processes/{process.slug}/proposals", {"mine": mine}).json()
    assert [p["id"] for p in listed["results"]] == [public_id]


def test_api_proposal_list_mine_that_is_not_a_boolean_is_400_naming_it(process, resident):
    response = client_for(resident("D1")).get(f"{API}/processes/{process.slug}/proposals", {"mine": "maybe"})
    assert response.status_code == 400 and response.json()["detail"].startswith("mine: must be one of true, 1, yes, on")


@pytest.mark.parametrize("publish, state", [("on", "published"), ("yes", "published"), ("off", "draft"), ("no", "draft")])
def test_api_proposal_publish_reads_the_boolean_vocabulary(process, resident, publish, state):
    response = create(client_for(resident("D1")), process, publish=publish)
    assert response.status_code == 201 and response.json()["state"] == state


def test_api_proposal_publish_that_is_not_a_boolean_is_400_and_nothing_stored(process, resident):
    response = create(client_for(resident("D1")), process, publish="maybe")
    assert response.status_code == 400 and response.json()["detail"].startswith("publish: must be one of true, 1, yes, on")
    assert Proposal.objects.count() == 0


def test_api_proposal_list_bbox_keeps_the_proposals_touching_the_box(process, resident):
    author = client_for(resident("D1"))
    in_d1 = create(author, process, title="In D1", place=geojson(inside_point("D1"))).json()["id"]
    create(author, process, title="In D4", place=geojson(inside_point("D4")))
    create(author, process, title="City-wide")
    x, y = inside_point("D1").coords
    listed = client_for().get(f"{API}/processes/{process.slug}/proposals",
                              {"bbox": f"{x - 0.001},{y - 0.001},{x + 0.001},{y + 0.001}"}).json()
    assert [p["id"] for p in listed["results"]] == [in_d1]


@pytest.mark.parametrize("params, message", [
    ({"state": "pending"}, "state: one of draft, published"),
    ({"bbox": "22.9,40.6"}, "bbox: needs 4 numbers"),
    ({"bbox": "22.9,40.6,abc,40.7"}, "bbox: must be a number"),
    ({"mine": "2"}, "mine: must be one of true, 1, yes, on"),
])
def test_api_proposal_list_bad_filter_is_400_naming_the_parameter(process, params, message):
    response = client_for().get(f"{API}/processes/{process.slug}/proposals", params)
    assert response.status_code == 400 and response.json()["detail"].startswith(message), response.content


def test_api_proposal_list_mine_without_signing_in_is_400_saying_so(process):
    response = client_for().get(f"{API}/processes/{process.slug}/proposals", {"mine": "yes"})
    assert response.status_code == 400 and response.json()["detail"] == "mine: sign in to list your own proposals"


def test_api_proposal_list_filters_are_described_in_the_openapi_document_from_the_filterset():
    document = client_for().get("/api/schema/", {"format": "json"}).json()
    operation = document["paths"]["/api/participation/processes/{slug}/proposals"]["get"]
    described = {p["name"]: p["schema"] for p in operation["parameters"]}
    assert described["mine"] == {"type": "boolean"} and described["bbox"]["type"] == "array"
    assert described["state"]["enum"] == sorted(Proposal.State.values)
    assert {"category", "district", "q", "limit", "offset"} <= set(described)
    assert operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].endswith("PaginatedProposalList")


@pytest.mark.parametrize("body, message", [
    ({"title": None}, "title: "),  # the serializer's own words, in the request's language
    ({"body": ""}, "body: "),
    ({"title": "x" * 201}, "title: "),
    ({"category": "parks"}, "category: no category 'parks'; GET /api/participation/categories lists them"),
    ({"place": {"type": "GeometryCollection", "geometries": []}}, "place: send a GeoJSON geometry with 'type' and 'coordinates'"),
    ({"place": {"type": "Point", "coordinates": [22.94, 40.63], "crs": {"type": "name", "properties": {"name": "EPSG:2100"}}}},
     "place: coordinates must be WGS84 longitude and latitude (EPSG:4326), not EPSG:2100"),
], ids=["null title", "blank body", "title too long", "unknown category", "not a geometry", "another crs"])
def test_api_proposal_body_at_fault_is_400_naming_the_field_and_nothing_stored(process, resident, body, message):
    response = create(client_for(resident("D1")), process, **body)
    assert response.status_code == 400 and response.json()["detail"].startswith(message), response.json()
    assert Proposal.objects.count() == 0


def test_api_proposal_edit_reads_its_body_with_the_same_serializer(process, resident):
    author = client_for(resident("D1"))
    proposal_id = create(author, process, place=geojson(inside_point("D1"))).json()["id"]
    refused = author.patch(f"{API}/proposals/{proposal_id}", {"category": "parks"}, format="json")
    assert refused.status_code == 400 and refused.json()["detail"].startswith("category: no category 'parks'")
    cleared = author.patch(f"{API}/proposals/{proposal_id}", {"place": None, "category": "green"}, format="json").json()
    assert cleared["place"] is None and cleared["districts"] == [] and cleared["category"] == "green"


def test_api_similar_without_a_title_is_400_naming_it(process):
    response = client_for().post(f"{API}/processes/{process.slug}/similar", {"body": "benches"}, format="json")
    assert response.status_code == 400 and response.json()["detail"].startswith("title: ")


def test_api_proposal_bodies_are_documented_by_the_serializers_that_read_them():
    document = client_for().get("/api/schema/", {"format": "json"}).json()
    schemas = document["components"]["schemas"]
    proposal = schemas["ProposalInput"]["properties"]
    assert proposal["publish"]["type"] == "boolean" and proposal["title"]["maxLength"] == 200
    assert schemas["ProposalInput"]["required"] == ["body", "title"]
    assert schemas["SimilarInput"]["required"] == ["title"]


def test_api_comment_with_a_parent_that_is_not_an_id_is_400_naming_it(process, resident):
    proposal_id = create(client_for(resident("D1")), process).json()["id"]
    for parent in ("abc", 0, 2**63):
        response = client_for(resident("D2")).post(f"{API}/proposals/{proposal_id}/comments",
                                                   {"body": "Agreed", "parent": parent}, format="json")
        assert response.status_code == 400 and response.json()["detail"].startswith("parent: "), (parent, response.json())


def test_api_ballot_with_a_project_that_is_not_a_whole_number_is_400_naming_its_position(resident):
    process = make_process(open_phase="voting", slug="ballot-body")
    budget = make_budget(process, amount=1000, district="D1")
    response = client_for(resident("D1")).put(f"{API}/budgets/{budget.id}/ballot", {"projects": [1, "x"]}, format="json")
    assert response.status_code == 400 and response.json()["detail"].startswith("projects.1: ")


def test_api_project_cost_beyond_a_whole_number_the_database_holds_is_400_naming_it(staff):
    budget = make_budget(make_process(open_phase="voting", slug="cost-body"), amount=1000)
    response = client_for(staff).post(f"{API}/budgets/{budget.id}/projects", {"cost": 2**63, "title_en": "x"}, format="json")
    assert response.status_code == 400 and response.json()["detail"].startswith("cost: ")


def test_api_residence_date_of_birth_not_in_iso_form_is_400_naming_it(resident):
    response = client_for(resident("D1", verify=False)).post(
        f"{API}/verification/residence", {"identifier": "AB123456", "date_of_birth": "01/02/1990"}, format="json")
    assert response.status_code == 400 and response.json()["detail"].startswith("date_of_birth: ")
