"""The sign-in lock-out: after LOGIN_FAILURE_LIMIT failures an account is refused even with the right
password, with a message saying for how long; it opens again when the failures are LOGIN_LOCKOUT_SECONDS
old; a success clears the count; an address that tries many accounts is locked too; the failures are in
PostgreSQL, so a lock made through one worker holds in every other."""
from datetime import timedelta

import pytest
from django.contrib.auth import authenticate
from django.test import Client
from django.utils import timezone

from tests.gis_portal.test_limits import run_in_another_process
from gis_portal.throttling.models import LoginFailure

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_user(django_user_model, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    settings.LOGIN_FAILURE_LIMIT_PER_IP = 6
    settings.LOGIN_LOCKOUT_SECONDS = 900
    return django_user_model.objects.create_user("maria", password="correct-horse-1", is_staff=True)


def sign_in(password: str, username: str = "maria", address: str = "198.51.100.7"):
    client = Client(REMOTE_ADDR=address, HTTP_ACCEPT_LANGUAGE="en")
    response = client.post("/admin/login/?next=/admin/", {"username": username, "password": password})
    return response, client


def test_admin_sign_in_locks_after_the_limit_and_refuses_the_right_password(staff_user):
    for _ in range(3):
        response, _ = sign_in("wrong")
        assert response.status_code == 200 and "Please enter the correct username" in response.content.decode()
    response, client = sign_in("correct-horse-1")
    assert response.status_code == 200
    assert "Too many failed sign-ins: try again in 15 minutes." in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert authenticate(username="maria", password="correct-horse-1") is None  # every sign-in path, not only the form


def test_the_lock_opens_when_the_failures_are_old_enough(staff_user):
    for _ in range(3):
        sign_in("wrong")
    LoginFailure.objects.update(at=timezone.now() - timedelta(seconds=901))
    response, client = sign_in("correct-horse-1")
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(staff_user.pk)


def test_a_success_before_the_limit_clears_the_count(staff_user):
    sign_in("wrong")
    sign_in("wrong")
    assert sign_in("correct-horse-1")[0].status_code == 302
    assert not LoginFailure.objects.filter(username="maria").exists()
    sign_in("wrong")
    assert sign_in("correct-horse-1")[0].status_code == 302


def test_the_username_is_counted_whatever_its_case(staff_user):
    for name in ("maria", "MARIA", " Maria "):
        sign_in("wrong", username=name)
    assert "Too many failed sign-ins" in sign_in("correct-horse-1")[0].content.decode()


def test_an_address_trying_many_accounts_is_locked(staff_user, django_user_model):
    for number in range(6):
        sign_in("wrong", username=f"guess-{number}", address="203.0.113.66")
    response, _ = sign_in("correct-horse-1", address="203.0.113.66")
    assert "Too many failed sign-ins" in response.content.decode()
    assert sign_in("correct-horse-1", address="198.51.100.7")[0].status_code == 302  # from elsewhere maria is fine


def test_a_lock_made_in_another_process_holds_here(staff_user):
    run_in_another_process(
        "from gis_portal.throttling.lockout import login_failure_record\n"
        "for _ in range(3): login_failure_record('maria-elsewhere', '192.0.2.50')\n")
    try:
        from gis_portal.throttling.lockout import login_locked_for

        assert login_locked_for("maria-elsewhere", None) > 0
    finally:
        run_in_another_process("from gis_portal.throttling.models import LoginFailure\n"
                               "LoginFailure.objects.filter(username='maria-elsewhere').delete()\n")
