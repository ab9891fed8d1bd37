"""Every endpoint that changes data, found by walking the URL configuration, with who may use it.

Each route is sent POST, PUT, PATCH and DELETE without credentials. A route that accepts one of them
must be listed below with its rule (citizen write, staff write, sign-in, a read sent by POST, or the
admin), otherwise the test fails: a new write endpoint cannot go unprotected unnoticed. The listed ones
are then tried by every role, with and without CSRF token, and a refused request changes nothing."""
import re
import uuid

import pytest
from django.middleware.csrf import _get_new_csrf_string, _mask_cipher_secret
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.authtoken.models import Token

from issues.api_keys import api_key_create
from issues.models import Department, DepartmentMembership, Issue, IssueUpdate, Support
from tests.conftest import database_fingerprint
from tests.issues.test_workspace import act, people, report  # noqa: F401 (people is a fixture)

pytestmark = pytest.mark.django_db

UNSAFE_METHODS = ["post", "put", "patch", "delete"]
# (route name, method) → rule
CITIZEN_WRITES = {("open311-requests", "post"), ("issue-comments", "post"), ("issue-supports", "post")}
STAFF_WRITES = {("issue-action", "post"), ("participation-blocks", "post"), ("participation-unblocks", "post"),
                ("participation-implementations", "post")}
PLANNER_WRITES = {("hazard-scenarios", "post"), ("hazard-scenario", "delete")}  # earthquake scenarios: planners, admins
READ_BY_POST = {("hazard-area", "post"),  # a polygon too large for a URL; computes, changes nothing
                ("oai-pmh", "post")}  # OAI-PMH lets harvesters send their arguments as a form; reads only
# a signed-in participant's own verification: anonymous requests are asked to sign in (401)
SIGNED_IN_WRITES = {("participation-follows", "post"), ("participation-notifications", "put"),
                    ("participation-verify-residence", "post"), ("participation-verify-email", "post"),
                    ("participation-confirm-email", "post")}
# any method: the sign-in forms and signing out (admin and the staff pages), and the language switch, which
# sets the visitor's own language cookie and changes no stored data
# residents' own forms (create an account, verify residence and e-mail): the page's CSRF token, then their own rules
# (tests/participation/test_pages_account.py)
RESIDENT_FORMS = {("participation-page-register", "post"), ("participation-page-verification", "post"),
                  ("participation-page-follow", "post"), ("participation-page-notifications", "post"),
                  ("participation-page-inbox", "post"), ("participation-page-meeting-registration", "post"), ("participation-page-moderation", "post"),
                  ("participation-page-report-proposal", "post"), ("participation-page-report-comment", "post"),
                  ("participation-page-proposal-edit", "post"), ("participation-page-support-withdraw", "post"),
                  ("participation-page-project-edit", "post")}  # the last: staff, by the same CSRF-then-rules path
# the one-click unsubscribe of an e-mail (RFC 8058: POSTed without a page, so without CSRF): the signed token in the
# link is the permission, and a forged one is refused (400)
SIGNED_LINK_WRITES = {("participation-page-unsubscribe", "post")}
SIGN_IN = {"admin:login", "admin:logout", "login", "logout", "set_language"}
# Routes without a name: the APIs' answers for unknown paths, and the admin's.
UNNAMED = {
    "ogc/^[\\s\\S]*$": "/ogc/nothing-here",
    "^open311/": "/open311/v2/nothing-here.json",
    "admin/(?P<url>.*)$": "/admin/nothing-here/",
}


def routes():
    """(route, name with namespace, pattern) for every URL pattern."""
    def walk(patterns, prefix, namespace):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                inner = f"{namespace}:{entry.namespace}" if namespace and entry.namespace else (entry.namespace or namespace)
                yield from walk(entry.url_patterns, prefix + str(entry.pattern), inner)
            elif isinstance(entry, URLPattern):
                name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
                yield prefix + str(entry.pattern), name, entry
    return list(walk(get_resolver().url_patterns, "", None))


def sample_url(route: str, name: str | None, pattern, samples: dict) -> str:
    if name is None:
        if route in UNNAMED:
            return UNNAMED[route]
        assert not set(route) & set("^$(?*"), f"unnamed route {route!r}: add a sample path for it to UNNAMED"
        return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(samples(route, m.group(1))), route)
    groups = pattern.pattern.regex.groupindex
    kwargs = {group: samples(route, group) for group in groups}
    return reverse(name, kwargs=kwargs)


@pytest.fixture
def samples():
    issue = report()
    values = {
        "format": "json", "service_code": "pothole", "token": str(issue.token), "service_request_id": str(issue.pk),
        "issue_id": issue.pk, "action": "acknowledge", "code": "D1", "collection_id": "public-issues", "format_name": "geojson", "feature_id": str(issue.pk),
        "z": 0, "x": 0, "y": 0, "pk": 1, "object_id": "1", "content_type_id": "1", "id": "1", "app_label": "issues",
        "proposal_id": 1, "comment_id": 1, "budget_id": 1, "meeting_id": 1, "milestone_id": 1, "follow_id": 1, "request_id": 1, "implementation_id": 1, "tms_id": "WebMercatorQuad",  # none exists: participation's writes answer 404
        "identifier": "rotunda", "region": "full", "size": "max", "rotation": "0", "quality": "default", "monument_id": 1,
    }

    def sample(route, group):
        if group == "slug":
            if route.startswith("api/participation"):
                return "no-such-process"
            return "flood-t100" if route.startswith("api/hazards") else "roads-pavements"
        assert group in values, f"route {route!r}: no sample value for <{group}>; add one"
        return values[group]
    return sample


def test_every_route_that_accepts_a_write_is_listed_with_its_rule(samples, django_user_model, settings):
    """An administrator's empty request (by API token, with a CSRF token) shows whether a route takes the method at all (DRF asks for
    credentials before it looks at the method); an anonymous one shows how it is protected. The write limit is lifted:
    the walk sends hundreds of writes from one address, and a 429 would hide what the route does."""
    settings.ANONYMOUS_WRITE_LIMIT = 1_000_000
    token = Token.objects.create(user=django_user_model.objects.create_superuser("probe-admin", password="pw-123456"))
    secret = _get_new_csrf_string()
    administrator = Client(enforce_csrf_checks=True, HTTP_AUTHORIZATION=f"Token {token.key}",
                           HTTP_X_CSRFTOKEN=_mask_cipher_secret(secret))
    administrator.cookies["csrftoken"] = secret
    before = database_fingerprint()
    unlisted, seen = [], set()
    for route, name, pattern in routes():
        url = sample_url(route, name, pattern, samples)
        for method in UNSAFE_METHODS:
            # the admin checks the session before CSRF matters; the APIs with a browser's CSRF checks on
            anonymous = getattr(Client(enforce_csrf_checks=not route.startswith("admin/")), method)(url)
            key = (name, method)
            seen.add(key)
            if route.startswith("admin/") and name not in SIGN_IN:
                assert anonymous.status_code == 302 and anonymous["Location"].startswith("/admin/login/"), (method, url)
                continue
            if name in SIGN_IN:
                assert anonymous.status_code < 500, (method, url)
                continue
            if key in CITIZEN_WRITES | RESIDENT_FORMS:
                assert anonymous.status_code == 403, (method, url, anonymous.status_code)  # no key, no CSRF token
            elif key in STAFF_WRITES | PLANNER_WRITES | SIGNED_IN_WRITES:
                assert anonymous.status_code == 401, (method, url, anonymous.status_code)
            elif key in SIGNED_LINK_WRITES:
                assert anonymous.status_code == 400, (method, url, anonymous.status_code)
            elif key in READ_BY_POST:
                assert anonymous.status_code < 500, (method, url, anonymous.status_code)
            elif getattr(administrator, method)(url).status_code not in (404, 405):
                unlisted.append(f"{method.upper()} {url} (anonymous: {anonymous.status_code})")
    assert not unlisted, "endpoints that accept writes but are not in the permission matrix:\n" + "\n".join(unlisted)
    assert (CITIZEN_WRITES | RESIDENT_FORMS | STAFF_WRITES | PLANNER_WRITES | READ_BY_POST | SIGNED_IN_WRITES
            | SIGNED_LINK_WRITES) <= seen, \
        "a listed endpoint no longer exists"
    assert database_fingerprint() == before


# --- the rules, role by role -------------------------------------------------------------------

CITIZEN_ROLES = ["no credentials", "site form with CSRF token", "signed-in citizen with CSRF token", "API key",
                 "unknown API key", "revoked API key", "staff with CSRF token"]
CITIZEN_EXPECTED = {"no credentials": 403, "site form with CSRF token": 201, "signed-in citizen with CSRF token": 201,
                    "API key": 201, "unknown API key": 403, "revoked API key": 403, "staff with CSRF token": 201}


def csrf_client(user=None) -> tuple[Client, dict]:
    client = Client(enforce_csrf_checks=True)
    if user is not None:
        client.force_login(user)
    secret = _get_new_csrf_string()
    client.cookies["csrftoken"] = secret
    return client, {"HTTP_X_CSRFTOKEN": _mask_cipher_secret(secret)}


def citizen_client(role, django_user_model):
    """A client and the extra data and headers it sends for this role."""
    if role == "no credentials":
        return Client(enforce_csrf_checks=True), {}, {}
    if role in ("site form with CSRF token", "signed-in citizen with CSRF token", "staff with CSRF token"):
        user = None
        if role != "site form with CSRF token":
            user = django_user_model.objects.create_user(f"u-{uuid.uuid4().hex[:8]}", password="pw-123456")
            if role.startswith("staff"):
                DepartmentMembership.objects.create(user=user, department=Department.objects.get(slug="roads-pavements"))
        client, headers = csrf_client(user)
        return client, {}, headers
    key, raw = api_key_create(name="app", rate_limit_per_minute=100)
    if role == "revoked API key":
        key.active = False
        key.save()
    return Client(enforce_csrf_checks=True), {"api_key": raw if role != "unknown API key" else "not-a-key"}, {}


@pytest.mark.parametrize("role", CITIZEN_ROLES)
def test_open311_create_by_role(role, django_user_model):
    client, data, headers = citizen_client(role, django_user_model)
    before = Issue.objects.count()
    response = client.post("/open311/v2/requests.json", {"service_code": "pothole", "lat": "40.6264", "long": "22.9484", **data},
                           **headers)
    assert response.status_code == CITIZEN_EXPECTED[role], response.content
    assert Issue.objects.count() == before + (1 if response.status_code == 201 else 0)


@pytest.mark.parametrize("role", CITIZEN_ROLES)
def test_comment_by_role(role, django_user_model):
    issue = report()
    client, data, headers = citizen_client(role, django_user_model)
    response = client.post(f"/api/issues/{issue.pk}/comments", {"text": "still there", **data}, **headers)
    assert response.status_code == CITIZEN_EXPECTED[role], response.content
    assert issue.updates.filter(kind=IssueUpdate.Kind.COMMENT).count() == (1 if response.status_code == 201 else 0)


@pytest.mark.parametrize("role", CITIZEN_ROLES)
def test_support_by_role(role, django_user_model):
    issue = report()
    client, data, headers = citizen_client(role, django_user_model)
    response = client.post(f"/api/issues/{issue.pk}/supports", {"device_id": "phone-1", **data}, **headers)
    assert response.status_code == CITIZEN_EXPECTED[role], response.content
    assert Support.objects.filter(issue=issue).count() == (1 if response.status_code == 201 else 0)


# The workflow actions the department matrix of test_workspace.py does not try: reopen and duplicate.
STAFF_ROLES = ["anonymous", "roads_staff", "roads_manager", "lighting_staff", "planner", "admin"]
ACTION_EXPECTED = {"anonymous": 401, "roads_staff": 200, "roads_manager": 200, "lighting_staff": 403, "planner": 403, "admin": 200}


def staff_client(people, role) -> Client:
    client = Client()
    if role != "anonymous":
        client.force_login(people[role])
    return client


@pytest.mark.parametrize("role", STAFF_ROLES)
def test_reopen_by_role(people, role):
    from issues.services.lifecycle import issue_transition

    issue = report()
    issue_transition(issue=issue, to_status="resolved", actor="setup")
    response = act(staff_client(people, role), issue, "reopen")
    assert response.status_code == ACTION_EXPECTED[role], response.content
    issue.refresh_from_db()
    assert issue.status == ("reopened" if response.status_code == 200 else "resolved")


@pytest.mark.parametrize("role", STAFF_ROLES)
def test_mark_duplicate_by_role(people, role):
    original, copy = report(), report()
    response = act(staff_client(people, role), copy, "duplicate", duplicate_of=original.pk)
    assert response.status_code == ACTION_EXPECTED[role], response.content
    copy.refresh_from_db()
    assert copy.duplicate_of_id == (original.pk if response.status_code == 200 else None)


SCENARIO_EXPECTED = {"anonymous": 401, "roads_staff": 403, "roads_manager": 403, "lighting_staff": 403, "planner": 201, "admin": 201}


@pytest.mark.parametrize("role", STAFF_ROLES)
def test_earthquake_scenario_run_and_delete_by_role(people, role, settings, django_capture_on_commit_callbacks):
    from hazards.models import EarthquakeScenario

    settings.HAZARD_SCENARIO_CELL_M = 400
    response = staff_client(people, role).post("/api/hazards/scenarios", {"preset": "thessaloniki-1978"}, content_type="application/json")
    assert response.status_code == SCENARIO_EXPECTED[role], response.content
    assert EarthquakeScenario.objects.count() == (1 if response.status_code == 201 else 0)
    if response.status_code == 201:
        return
    mine = staff_client(people, "planner").post("/api/hazards/scenarios", {"preset": "thessaloniki-1978"}, content_type="application/json")
    with django_capture_on_commit_callbacks(execute=True):
        refused = staff_client(people, role).delete(f"/api/hazards/scenarios/{mine.json()['id']}")
    assert refused.status_code == SCENARIO_EXPECTED[role] and EarthquakeScenario.objects.count() == 1


def test_earthquake_scenario_by_session_needs_the_csrf_token(people):
    from hazards.models import EarthquakeScenario

    client, headers = csrf_client(people["planner"])
    assert client.post("/api/hazards/scenarios", {"preset": "thessaloniki-1978"}, content_type="application/json").status_code == 403
    assert not EarthquakeScenario.objects.exists()


@pytest.mark.parametrize("role", ["anonymous", "citizen", "staff without permissions"])
def test_admin_writes_are_refused_to_all_but_permitted_staff(role, django_user_model, samples):
    client = Client()
    if role != "anonymous":
        user = django_user_model.objects.create_user(f"u-{role[:5]}", password="pw-123456", is_staff=role.startswith("staff"))
        client.force_login(user)
    before = database_fingerprint()
    for route, name, pattern in routes():
        if not (name or "").startswith("admin:") or name in ("admin:login", "admin:logout", "admin:jsi18n"):
            continue
        url = sample_url(route, name, pattern, samples)
        response = client.post(url, {"name": "changed", "action": "delete_selected", "_selected_action": ["1"], "post": "yes"})
        if role == "staff without permissions":
            # the admin's index and password pages are for any staff member; everything else needs permissions
            assert response.status_code in (302, 403, 404) or name in ("admin:index", "admin:password_change",
                                                                      "admin:password_change_done", "admin:autocomplete"), url
        else:
            assert response.status_code == 302 and response["Location"].startswith("/admin/login/"), url
    assert database_fingerprint() == before


def test_hazard_area_by_post_changes_nothing():
    before = database_fingerprint()
    polygon = {"type": "Polygon", "coordinates": [[[22.93, 40.62], [22.95, 40.62], [22.95, 40.64], [22.93, 40.62]]]}
    assert Client(enforce_csrf_checks=True).post("/api/hazards/area", polygon, content_type="application/json").status_code == 200
    assert database_fingerprint() == before


def test_every_form_refuses_a_post_without_its_csrf_token(people):
    """The site's report path and every session-backed write: without the CSRF token, 403 and nothing changes."""
    issue = report()
    anonymous = Client(enforce_csrf_checks=True)
    staff = Client(enforce_csrf_checks=True)
    staff.force_login(people["roads_staff"])
    administrator = Client(enforce_csrf_checks=True)
    administrator.force_login(people["admin"])
    before = database_fingerprint()  # after signing in, which records the last login
    attempts = [
        (anonymous, "/admin/login/", {"username": "eleni", "password": "pw-123456"}),
        (administrator, "/admin/issues/department/add/", {"slug": "new-dept", "name_el": "Νέα", "name_en": "New"}),
        (administrator, f"/admin/issues/issue/{issue.pk}/delete/", {"post": "yes"}),
        (anonymous, "/open311/v2/requests.json", {"service_code": "pothole", "lat": "40.6264", "long": "22.9484"}),
        (staff, "/open311/v2/requests.json", {"service_code": "pothole", "lat": "40.6264", "long": "22.9484"}),
        (staff, f"/api/issues/{issue.pk}/comments", {"text": "hello"}),
        (staff, f"/api/issues/{issue.pk}/supports", {"device_id": "x"}),
        (staff, f"/api/issues/{issue.pk}/actions/start", {"version": issue.version}),
    ]
    for client, path, data in attempts:
        response = client.post(path, data)
        assert response.status_code == 403, (path, response.status_code)
        assert "CSRF" in response.content.decode(), path
    assert database_fingerprint() == before
