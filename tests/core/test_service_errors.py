"""The one error model: a ServiceError from each app answered with its stable code and the parameter at fault, in
the REST API's shape, Open311's list and the OGC API's exception; a ValueError from a bug is a 500, not a 400; the
message in the language asked for (Accept-Language), English when none is asked for."""
import json

import pytest
from django.contrib.gis.geos import Point
from django.test import Client

from issues.api_keys import api_key_create
from issues.models import Category, Department, DepartmentMembership
from issues.services.reporting import issue_report
from tests.participation.conftest import make_process

pytestmark = pytest.mark.django_db

KALAMARIA = {"lat": "40.585", "long": "22.955"}  # inside the neighbouring Municipality of Kalamaria


@pytest.fixture
def api_key() -> str:
    return api_key_create(name="error model", rate_limit_per_minute=1000)[1]


def an_issue():
    return issue_report(category=Category.objects.get(service_code="pothole"), point=Point(22.9484, 40.6264, srid=4326),
                        actor="test").issue


# --- the REST API's shape ------------------------------------------------------------------------------------

def test_a_wrong_request_parameter_names_its_code_and_parameter_in_the_rest_shape():
    response = Client().get("/api/locate/", {"lat": "abc", "lon": "22.9"})
    assert response.status_code == 400
    assert response.json() == {"detail": "lat: must be a number, got 'abc'", "code": "invalid", "parameter": "lat",
                               "message": "must be a number, got 'abc'"}


def test_a_stale_staff_write_is_409_stale_version_with_the_current_version(django_user_model):
    staff = django_user_model.objects.create_user("anna", password="pw-123456")
    DepartmentMembership.objects.create(user=staff, department=Department.objects.get(slug="roads-pavements"), role="staff")
    client = Client()
    client.force_login(staff)
    issue = an_issue()
    client.post(f"/api/issues/{issue.pk}/actions/acknowledge", {}, HTTP_IF_MATCH=f'"v{issue.version}"',
                content_type="application/json")
    response = client.post(f"/api/issues/{issue.pk}/actions/start", {}, HTTP_IF_MATCH=f'"v{issue.version}"',
                           content_type="application/json")
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "stale_version" and body["version"] == issue.version + 1 and "parameter" not in body


def test_a_refused_transition_is_409_transition_not_allowed_with_the_allowed_actions(django_user_model):
    staff = django_user_model.objects.create_user("anna", password="pw-123456")
    DepartmentMembership.objects.create(user=staff, department=Department.objects.get(slug="roads-pavements"), role="staff")
    client = Client()
    client.force_login(staff)
    issue = an_issue()
    response = client.post(f"/api/issues/{issue.pk}/actions/reopen", {}, HTTP_IF_MATCH=f'"v{issue.version}"',
                           content_type="application/json")
    assert response.status_code == 409
    assert response.json()["code"] == "transition_not_allowed" and "acknowledge" in response.json()["allowed"]


def test_a_staff_action_with_a_wrong_field_is_400_naming_it(django_user_model):
    staff = django_user_model.objects.create_user("anna", password="pw-123456")
    DepartmentMembership.objects.create(user=staff, department=Department.objects.get(slug="roads-pavements"), role="staff")
    client = Client()
    client.force_login(staff)
    issue = an_issue()
    response = client.post(f"/api/issues/{issue.pk}/actions/close", {}, HTTP_IF_MATCH=f'"v{issue.version}"',
                           content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "required" and response.json()["parameter"] == "reason"


def test_a_comment_without_text_names_the_field(api_key):
    issue = an_issue()
    response = Client().post(f"/api/issues/{issue.pk}/comments", {"api_key": api_key, "text": ""})
    assert response.status_code == 400
    assert response.json() == {"detail": "text: is required", "code": "required", "parameter": "text",
                               "message": "is required"}


def test_a_participation_refusal_names_its_code_and_parameter():
    process = make_process()
    response = Client().get(f"/api/participation/processes/{process.slug}/proposals", {"state": "sleeping"})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid" and response.json()["parameter"] == "state"
    missing = Client().get("/api/participation/processes/no-such-process")
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"


def test_a_hazard_scenario_input_names_its_parameter(django_user_model):
    from django.contrib.auth.models import Group

    planner = django_user_model.objects.create_user("dora", password="pw-123456")
    planner.groups.add(Group.objects.get(name="civil-protection-planners"))
    client = Client()
    client.force_login(planner)
    response = client.post("/api/hazards/scenarios", {"preset": "thessaloniki-1978", "magnitude": "big"},
                           content_type="application/json")
    assert response.status_code == 400
    assert response.json()["parameter"] == "magnitude" and response.json()["code"] == "invalid"


def test_drf_refusals_name_a_code_too():
    response = Client().get("/api/departments/roads-pavements/queue")
    assert response.status_code in (401, 403) and response.json()["code"] in ("not_authenticated", "permission_denied")


# --- Open311's shape -------------------------------------------------------------------------------------------

def test_a_report_outside_the_city_is_out_of_area_in_open311s_shape(api_key):
    response = Client().post("/open311/v2/requests.json", {"api_key": api_key, "service_code": "pothole", **KALAMARIA})
    assert response.status_code == 400
    [error] = response.json()
    assert error["code"] == 400 and error["error_code"] == "out_of_area" and error["parameter"] == "location"
    assert error["description"].startswith("location is outside the Municipality of Thessaloniki")
    assert error["neighbour"]["code"] == "9032"


def test_a_wrong_open311_parameter_names_it_in_json_and_xml():
    response = Client().get("/open311/v2/requests.json", {"page_size": "0"})
    assert response.status_code == 400
    assert response.json() == [{"code": 400, "description": "page_size: must be between 1 and 1000, got 0",
                                "error_code": "out_of_range", "parameter": "page_size",
                                "message": "must be between 1 and 1000, got 0"}]
    xml = Client().get("/open311/v2/requests.xml", {"page_size": "0"}).content.decode()
    assert "<error_code>out_of_range</error_code>" in xml and "<parameter>page_size</parameter>" in xml


# --- the OGC API's shape ---------------------------------------------------------------------------------------

def test_a_wrong_ogc_parameter_keeps_the_ogc_code_and_names_the_stable_code_and_parameter():
    response = Client().get("/ogc/collections/districts/items", {"limit": "many"})
    assert response.status_code == 400
    assert response.json() == {"code": "InvalidParameterValue", "description": "limit: must be a whole number, got 'many'",
                               "error_code": "invalid", "parameter": "limit", "message": "must be a whole number, got 'many'"}


def test_a_core_parameter_error_in_the_ogc_api_is_in_the_ogc_shape():
    response = Client().get("/ogc/collections/public-issues/items", {"datetime": "last week"})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "InvalidParameterValue" and body["parameter"] == "datetime" and body["error_code"] == "invalid"


def test_a_wrong_filter_is_invalid_filter_in_the_ogc_shape():
    response = Client().get("/ogc/collections/districts/items", {"filter": "colour = 'red'"})
    assert response.status_code == 400
    assert response.json()["error_code"] == "invalid_filter" and response.json()["parameter"] == "filter"


# --- a bug is a 500 ---------------------------------------------------------------------------------------------

def test_a_value_error_inside_a_rest_view_is_a_500_not_a_400(monkeypatch):
    def broken(point):
        raise ValueError("a bug")

    monkeypatch.setattr("layers.api.views.district_for_point", broken)
    response = Client(raise_request_exception=False).get("/api/locate/", {"lat": "40.63", "lon": "22.94"})
    assert response.status_code == 500 and response.json()["code"] == "server_error"


def test_a_value_error_inside_a_staff_action_is_a_500_not_a_400(monkeypatch, django_user_model):
    def broken(**kwargs):
        raise ValueError("a bug")

    staff = django_user_model.objects.create_user("anna", password="pw-123456")
    DepartmentMembership.objects.create(user=staff, department=Department.objects.get(slug="roads-pavements"), role="staff")
    client = Client(raise_request_exception=False)
    client.force_login(staff)
    issue = an_issue()
    monkeypatch.setattr("issues.api.actions.issue_transition", broken)
    response = client.post(f"/api/issues/{issue.pk}/actions/acknowledge", {}, HTTP_IF_MATCH=f'"v{issue.version}"',
                           content_type="application/json")
    assert response.status_code == 500


def test_a_value_error_inside_an_open311_view_is_a_500_in_open311s_shape(monkeypatch):
    def broken():
        raise ValueError("a bug")

    monkeypatch.setattr("issues.open311.views.public_issues", broken)
    response = Client(raise_request_exception=False).get("/open311/v2/requests.json")
    assert response.status_code == 500 and response.json()[0]["code"] == 500


# --- languages --------------------------------------------------------------------------------------------------

def test_accept_language_el_gives_the_greek_message():
    response = Client().get("/api/locate/", {"lat": "abc", "lon": "22.9"}, HTTP_ACCEPT_LANGUAGE="el")
    assert response.json()["detail"] == "lat: πρέπει να είναι αριθμός, δόθηκε 'abc'"
    assert response.json()["code"] == "invalid" and response.json()["parameter"] == "lat"


def test_no_accept_language_gives_the_english_message():
    response = Client().get("/api/locate/", {"lat": "abc", "lon": "22.9"})
    assert response.json()["detail"] == "lat: must be a number, got 'abc'"


def test_a_greek_open311_client_gets_the_refusal_in_greek(api_key):
    response = Client().post("/open311/v2/requests.json?lang=el", {"api_key": api_key, "service_code": "pothole", **KALAMARIA})
    [error] = response.json()
    assert error["error_code"] == "out_of_area"
    assert error["description"].startswith("η τοποθεσία είναι εκτός ορίων")


def test_open311_names_stay_greek_without_accept_language():
    service = Client().get("/open311/v2/services.json").json()[0]
    greek = Client().get("/open311/v2/services.json", {"lang": "el"}).json()[0]
    assert service["service_name"] == greek["service_name"]


def test_a_wrong_boolean_filter_is_refused_by_the_shared_parser_in_greek():
    process = make_process(slug="boolean-words")
    response = Client().get(f"/api/participation/processes/{process.slug}/proposals", {"mine": "maybe"},
                            HTTP_ACCEPT_LANGUAGE="el")
    assert response.status_code == 400
    message = "πρέπει να είναι ένα από τα true, 1, yes, on (αληθές) ή false, 0, no, off (ψευδές), δόθηκε 'maybe'"
    assert response.json() == {"detail": f"mine: {message}", "code": "invalid", "parameter": "mine", "message": message}


def test_a_wrong_boolean_filter_is_refused_by_the_shared_parser_in_english_without_a_language():
    process = make_process(slug="boolean-words")
    response = Client().get(f"/api/participation/processes/{process.slug}/proposals", {"mine": "maybe"})
    message = "must be one of true, 1, yes, on (true) or false, 0, no, off (false), got 'maybe'"
    assert response.json() == {"detail": f"mine: {message}", "code": "invalid", "parameter": "mine", "message": message}


@pytest.mark.parametrize("language, message", [
    ("el", "ο έλεγχος CSRF απέτυχε: CSRF cookie not set.· στείλτε την τιμή του cookie csrftoken ως X-CSRFToken "
           "ή χρησιμοποιήστε κλειδί API ή token"),
    ("en", "CSRF check failed: CSRF cookie not set.; send the csrftoken cookie's value as X-CSRFToken, "
           "or use an API key or token"),
], ids=["greek", "english"])
def test_a_refused_csrf_check_under_the_api_is_answered_in_the_request_language(language, message):
    from django.test import RequestFactory
    from django.utils import translation

    from core.errors import csrf_failure

    with translation.override(language):  # as ApiLanguageMiddleware sets it before the CSRF check
        response = csrf_failure(RequestFactory().post("/api/issues/"), reason="CSRF cookie not set.")
    assert response.status_code == 403
    assert json.loads(response.content) == {"detail": message, "code": "csrf_failed"}
