"""The demo's sign-in accounts (participation/demo_accounts.py): each signs in with the password printed for it and
opens the pages of its role, and is refused elsewhere; the passwords stay the same when the demo is loaded again;
the production settings refuse to make them."""
import json
import secrets

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from participation.demo_accounts import demo_accounts_create, demo_accounts_table
from tests.conftest import run_django
from tests.participation.conftest import make_process

pytestmark = pytest.mark.django_db
API = "/api/participation"


@pytest.fixture
def passwords_file(settings, tmp_path):
    settings.DEMO_ACCOUNTS_FILE = tmp_path / "var" / "demo-accounts.json"
    return settings.DEMO_ACCOUNTS_FILE


@pytest.fixture
def accounts(passwords_file) -> dict[str, str]:
    return {account.username: password for account, password in demo_accounts_create()}


def signed_in(username: str, password: str) -> Client:
    """A browser that signed in on the sign-in page, as a newcomer does with the printed table."""
    client = Client()
    answer = client.post("/accounts/login/", {"username": username, "password": password})
    assert answer.status_code == 302, f"{username} could not sign in"
    return client


def statuses(client: Client, paths: list[str]) -> dict[str, int]:
    return {path: client.get(path).status_code for path in paths}


def test_the_planner_opens_the_planner_map_every_queue_and_the_figures_and_nothing_of_a_manager(accounts):
    planner = signed_in("demo-planner", accounts["demo-planner"])
    pages = ["/staff/", "/planner/", "/planner/districts/D1/report", "/staff/queue/roads-pavements/",
             "/staff/queue/street-lighting/", "/staff/figures/"]
    assert statuses(planner, pages) == dict.fromkeys(pages, 200)
    assert planner.get("/api/departments/roads-pavements/queue").json()["type"] == "FeatureCollection"
    assert planner.get("/admin/").status_code == 302  # not staff: sent to the admin's sign-in


def test_the_manager_works_the_own_department_and_is_refused_elsewhere(accounts):
    manager = signed_in("demo-manager", accounts["demo-manager"])
    assert statuses(manager, ["/staff/", "/staff/queue/roads-pavements/", "/staff/figures/"]) == {
        "/staff/": 200, "/staff/queue/roads-pavements/": 200, "/staff/figures/": 200}
    assert statuses(manager, ["/planner/", "/staff/queue/street-lighting/", "/participation/staff/budgets/"]) == {
        "/planner/": 403, "/staff/queue/street-lighting/": 403, "/participation/staff/budgets/": 403}
    assert manager.get("/participation/staff/").status_code == 200  # the proposals assigned to its department


def test_the_evaluator_sees_unpublished_processes_answers_proposals_and_opens_no_staff_queue(accounts):
    make_process(open_phase="proposals", slug="unpublished-check", published=False)
    process = make_process(open_phase="proposals", slug="demo-check")
    resident = signed_in("demo-resident", accounts["demo-resident"])
    proposal = resident.post(f"{API}/processes/{process.slug}/proposals",
                             {"title": "Benches in the square", "body": "Shade and benches.", "publish": True},
                             content_type="application/json")
    assert proposal.status_code == 201, proposal.content
    evaluator = signed_in("demo-evaluator", accounts["demo-evaluator"])
    assert evaluator.get(f"{API}/processes/unpublished-check").status_code == 200
    answer = evaluator.post(f"{API}/proposals/{proposal.json()['id']}/answer",
                            {"state": "rejected", "reason": "The square is being rebuilt."}, content_type="application/json")
    assert answer.status_code == 200 and answer.json()["state"] == "rejected"
    assert statuses(evaluator, ["/admin/", "/admin/participation/proposal/", "/participation/staff/",
                                "/participation/staff/budgets/"]) == {
        "/admin/": 200, "/admin/participation/proposal/": 200, "/participation/staff/": 200,
        "/participation/staff/budgets/": 200}
    assert statuses(evaluator, ["/staff/", "/planner/", "/staff/figures/", "/staff/queue/roads-pavements/"]) == {
        "/staff/": 403, "/planner/": 403, "/staff/figures/": 403, "/staff/queue/roads-pavements/": 403}


def test_the_resident_is_verified_and_refused_the_citys_pages_and_answers(accounts):
    make_process(open_phase="proposals", slug="unpublished-check", published=False)
    resident = signed_in("demo-resident", accounts["demo-resident"])
    assert resident.get(f"{API}/verification").json()["verified"] is True
    assert resident.get("/participation/").status_code == 200
    assert resident.get(f"{API}/processes/unpublished-check").status_code == 404
    assert statuses(resident, ["/staff/", "/planner/", "/staff/figures/"]) == {
        "/staff/": 403, "/planner/": 403, "/staff/figures/": 403}
    assert resident.get("/admin/").status_code == 302


def test_loading_the_demo_again_keeps_the_printed_passwords(accounts, passwords_file):
    again = demo_accounts_create()
    assert {account.username: password for account, password in again} == accounts and len(set(accounts.values())) == 4
    assert json.loads(passwords_file.read_text()) == accounts
    assert passwords_file.stat().st_mode & 0o077 == 0  # readable by its owner only
    rows = [line.split()[:2] for line in demo_accounts_table(again).splitlines()[2:]]
    assert rows == [[username, password] for username, password in accounts.items()]


def test_the_production_settings_refuse_to_make_the_demo_accounts():
    from django.db import connection

    url = "postgis://{USER}:{PASSWORD}@{HOST}:{PORT}/{NAME}".format(**connection.settings_dict)
    result = run_django(
        "from django.core.management import call_command\ncall_command('participation_load_demo', commit=True)",
        DJANGO_SETTINGS_MODULE="gis_portal.settings.production", DATABASE_URL=url,
        SECRET_KEY=secrets.token_urlsafe(50), ALLOWED_HOSTS="gis.example.org")
    assert result.returncode != 0
    assert "never made under these settings (gis_portal.settings.production)" in result.stderr
    assert not get_user_model().objects.filter(username__startswith="demo-").exists()
