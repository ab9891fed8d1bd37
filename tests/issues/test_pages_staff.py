"""Staff pages without a browser: who may open each (anonymous → sign-in, wrong role → 403), what each page
hands its script, Greek and English texts, the sign-in page, and the printable KPI choropleth."""
import json
import re

import pytest
from django.contrib.gis.geos import Point
from django.test import Client

from issues.models import Category, Department
from issues.pages.figures import classify
from issues.services.lifecycle import issue_transition
from issues.services.reporting import issue_report
from tests.support.printable_html import linked_assets
from tests.support.staff_accounts import staff_accounts

pytestmark = pytest.mark.django_db

PAGES = ["/staff/", "/staff/queue/roads-pavements/", "/staff/figures/", "/staff/figures/map"]


@pytest.fixture
def people(django_user_model):
    return staff_accounts(django_user_model)


def client_for(people, role, lang="en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=lang)
    if role != "anonymous":
        client.force_login(people[role])
    return client


def page_config(response) -> dict:
    match = re.search(r'<script id="page-config" type="application/json">(.*?)</script>', response.content.decode(), re.S)
    assert match, "the page has no #page-config"
    return json.loads(match.group(1))


def report(code="pothole", lon=22.9484, lat=40.6264):
    return issue_report(category=Category.objects.get(service_code=code), point=Point(lon, lat, srid=4326), actor="test").issue


# --- who may open what ---------------------------------------------------------------------------

@pytest.mark.parametrize("path", PAGES)
def test_anonymous_visitors_are_sent_to_the_sign_in_page(path):
    response = Client().get(path)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={path}"


EXPECTED = {
    # role: (workspace, roads queue, figures page, printable figures map)
    "nobody": (403, 403, 403, 403),
    "roads_staff": (200, 200, 403, 403),
    "roads_manager": (200, 200, 200, 200),
    "lighting_staff": (200, 403, 403, 403),
    "planner": (200, 200, 200, 200),
    "admin": (200, 200, 200, 200),
}


@pytest.mark.parametrize("role", EXPECTED)
def test_each_role_opens_its_pages_and_gets_403_for_the_others(people, role):
    client = client_for(people, role)
    statuses = tuple(client.get(path).status_code for path in PAGES)
    assert statuses == EXPECTED[role]


def test_the_403_page_says_which_role_the_page_needs(people):
    response = client_for(people, "lighting_staff").get("/staff/queue/roads-pavements/")
    assert response.status_code == 403
    text = response.content.decode()
    assert "You cannot open this page" in text
    assert "A department&#x27;s queue is for its staff and managers" in text
    assert "You are signed in as chris" in text


def test_the_403_page_in_greek(people):
    response = client_for(people, "roads_staff", lang="el").get("/staff/figures/")
    assert response.status_code == 403
    text = response.content.decode()
    assert "Δεν μπορείτε να ανοίξετε αυτή τη σελίδα" in text
    assert "Οι δείκτες είναι για τους σχεδιαστές πολιτικής προστασίας" in text


def test_an_unknown_department_queue_is_404_for_staff(people):
    assert client_for(people, "roads_staff").get("/staff/queue/no-such-department/").status_code == 404


def test_a_manager_cannot_print_another_department_figures(people):
    response = client_for(people, "roads_manager").get("/staff/figures/map", {"department": "street-lighting"})
    assert response.status_code == 403
    assert "the figures are for administrators" in response.content.decode()


# --- the sign-in page -------------------------------------------------------------------------

def test_signing_in_leads_to_the_page_asked_for(people):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    response = client.post("/accounts/login/", {"username": "anna", "password": "pw-123456",
                                                "next": "/staff/queue/roads-pavements/"})
    assert response.status_code == 302 and response["Location"] == "/staff/queue/roads-pavements/"
    assert client.get("/staff/queue/roads-pavements/").status_code == 200


def test_signing_in_without_a_next_page_leads_to_the_workspace(people):
    client = Client()
    response = client.post("/accounts/login/", {"username": "anna", "password": "pw-123456"})
    assert response.status_code == 302 and response["Location"] == "/staff/"


def test_a_wrong_password_is_said_next_to_the_form_and_keeps_the_user_name(people):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    response = client.post("/accounts/login/", {"username": "anna", "password": "wrong"})
    assert response.status_code == 200
    text = response.content.decode()
    assert "The user name or the password is wrong" in text
    assert 'value="anna"' in text and 'aria-invalid="true"' in text
    assert client.get("/staff/").status_code == 302  # still signed out


def test_the_sign_in_page_in_greek_and_english():
    assert "Σύνδεση για το προσωπικό του δήμου" in Client(HTTP_ACCEPT_LANGUAGE="el").get("/accounts/login/").content.decode()
    assert "Sign in for municipal staff" in Client(HTTP_ACCEPT_LANGUAGE="en").get("/accounts/login/").content.decode()


def test_signing_out_needs_a_post_and_ends_the_session(people):
    client = client_for(people, "roads_staff")
    client.post("/accounts/logout/")
    assert client.get("/staff/").status_code == 302


# --- what the pages show -------------------------------------------------------------------------

def test_the_navigation_lists_only_the_pages_this_account_may_open(people):
    staff = client_for(people, "roads_staff").get("/staff/").content.decode()
    assert 'href="/staff/"' in staff and 'href="/planner/"' not in staff and 'href="/staff/figures/"' not in staff
    planner = client_for(people, "planner").get("/staff/").content.decode()
    assert 'href="/planner/"' in planner and 'href="/staff/figures/"' in planner
    manager = client_for(people, "roads_manager").get("/staff/").content.decode()
    assert 'href="/staff/figures/"' in manager and 'href="/planner/"' not in manager


def test_the_workspace_lists_the_departments_with_their_open_reports(people):
    report()
    report()
    staff = client_for(people, "roads_staff").get("/staff/").content.decode()
    assert "Roads and Pavements Directorate" in staff and "2 open reports" in staff
    assert "Street Lighting Department" not in staff
    planner = client_for(people, "planner", "el").get("/staff/").content.decode()
    assert "Τμήμα Ηλεκτροφωτισμού" in planner and "Street Lighting Department" not in planner  # every one, in Greek
    assert planner.count('href="/staff/queue/') == Department.objects.filter(active=True).count()


def test_the_queue_page_tells_its_script_what_this_account_may_do(people):
    staff = page_config(client_for(people, "roads_staff").get("/staff/queue/roads-pavements/"))
    manager = page_config(client_for(people, "roads_manager").get("/staff/queue/roads-pavements/"))
    planner = page_config(client_for(people, "planner").get("/staff/queue/roads-pavements/"))
    assert (staff["canAct"], staff["canReassign"]) == (True, False)
    assert (manager["canAct"], manager["canReassign"]) == (True, True)
    assert (planner["canAct"], planner["canReassign"]) == (False, False)
    assert staff["queueUrl"] == "/api/departments/roads-pavements/queue"
    assert staff["issuesUrl"] == "/api/issues/"
    assert staff["moves"]["new"] == ["acknowledge", "start", "resolve", "close"]
    assert staff["moves"]["closed"] == ["reopen"]
    assert "roads-pavements" not in [d["value"] for d in staff["departments"]]  # reassign to another one


def test_the_queue_page_in_greek_and_english(people):
    english = client_for(people, "roads_staff", "en").get("/staff/queue/roads-pavements/").content.decode()
    greek = client_for(people, "roads_staff", "el").get("/staff/queue/roads-pavements/").content.decode()
    assert "Queue: Roads and Pavements Directorate" in english and "Acknowledge selected" in english
    assert "Ουρά:" in greek and "Παραλαβή επιλεγμένων" in greek and "Κατάσταση" in greek
    assert page_config(client_for(people, "roads_staff", "el").get("/staff/queue/roads-pavements/"))["statuses"][2] == \
        {"value": "in_progress", "label": "Σε εξέλιξη"}


def test_the_queue_filters_keep_what_the_address_asks_for(people):
    text = client_for(people, "roads_staff").get("/staff/queue/roads-pavements/",
                                                {"status": "resolved", "district": "D3", "q": "<b>hole"}).content.decode()
    assert '<option value="resolved" selected>' in text
    assert '<option value="D3" selected>' in text
    assert 'value="&lt;b&gt;hole"' in text


def test_the_figures_page_offers_all_departments_to_planners_and_their_own_to_managers(people):
    planner = client_for(people, "planner").get("/staff/figures/").content.decode()
    manager = client_for(people, "roads_manager").get("/staff/figures/").content.decode()
    assert "All departments" in planner and planner.count("<option value=\"street-lighting\">") == 1
    assert "All departments" not in manager and 'value="street-lighting"' not in manager
    assert '<option value="roads-pavements">' in manager
    greek = client_for(people, "planner", "el").get("/staff/figures/").content.decode()
    assert "Δείκτες" in greek and "Λήψη CSV" in greek


# --- the printable KPI choropleth (folium) ----------------------------------------------------------

def test_the_printable_choropleth_loads_nothing_from_another_server(people):
    for _ in range(3):
        report()
    resolved = report(lon=22.9700, lat=40.6000)
    issue_transition(issue=resolved, to_status="resolved", actor="test")
    response = client_for(people, "planner").get("/staff/figures/map", {"metric": "posted"})
    assert response.status_code == 200
    html = response.content.decode()
    sources = linked_assets(html)
    assert sources, "folium's assets are linked"
    assert all(url.startswith("http://testserver/static/") for url in sources), sources
    assert "leaflet/leaflet.js" in html and "cdn." not in html and "jquery" not in html.lower()
    assert html.count("L.geoJson(") >= 6  # the districts, each coloured


def test_the_printable_choropleth_has_a_table_of_every_district_and_a_legend(people):
    for _ in range(2):
        report()
    html = client_for(people, "planner").get("/staff/figures/map", {"metric": "open"}).content.decode()
    table = html[html.index('id="district-figures"'):]
    for code in ["D1", "D2", "D3", "D4", "D5", "D6"]:
        assert f"({code})</th>" in table
    assert 'class="swatch class-4"' in html  # the district with the most open reports is the darkest
    assert "Figures by district: Open now" in html


def test_the_printable_choropleth_in_greek(people):
    html = client_for(people, "planner", "el").get("/staff/figures/map").content.decode()
    assert '<html lang="el">' in html and "Δείκτες ανά κοινότητα" in html


@pytest.mark.parametrize("params, message", [
    ({"metric": "bogus"}, "metric: one of posted, open, solved, share_solved, median_days_to_resolve"),
    ({"from": "yesterday"}, "from: must be an ISO 8601 date"),
    ({"from": "2026-05-01", "to": "2026-01-01"}, "to: must be after from"),
    ({"department": "nowhere"}, "department: no department"),
])
def test_the_printable_choropleth_says_what_to_fix_in_its_address(people, params, message):
    response = client_for(people, "planner").get("/staff/figures/map", params)
    assert response.status_code == 400
    assert message in response.content.decode().replace("&#x27;", "'")


def test_district_classes_are_equal_steps_from_lowest_to_highest():
    classes, ranges = classify([0.0, 5.0, 10.0, None, 2.0])
    assert classes == [0, 2, 4, None, 1]
    assert ranges[0] == (0.0, 2.0) and ranges[-1] == (8.0, 10.0)
    assert classify([3.0, 3.0]) == ([0, 0], [(3.0, 3.0)])
    assert classify([None, None]) == ([None, None], [])
