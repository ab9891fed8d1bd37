"""Sign-in protection (django-axes): after LOGIN_FAILURE_LIMIT failures an account is refused from that address,
even with the right password, with a page saying for how long; the same account signs in from elsewhere (so
nobody can lock a known account out); it opens again after the cool-off; a success clears the count; an
address spraying many accounts is limited; the failures are in PostgreSQL, so every worker sees them."""
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import authenticate
from django.test import Client, RequestFactory
from django.utils import timezone

from tests.core.test_limits import run_in_another_process

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_user(django_user_model, settings):
    settings.AXES_FAILURE_LIMIT = 3
    settings.LOGIN_ATTEMPT_LIMIT_PER_ADDRESS = 6
    settings.AXES_COOLOFF_TIME = timedelta(seconds=900)
    return django_user_model.objects.create_user("maria", password="correct-horse-1", is_staff=True)


def sign_in(password: str, username: str = "maria", address: str = "198.51.100.7", path: str = "/admin/login/?next=/admin/"):
    client = Client(REMOTE_ADDR=address, HTTP_ACCEPT_LANGUAGE="en")
    response = client.post(path, {"username": username, "password": password})
    return response, client


def test_admin_sign_in_locks_after_the_limit_and_refuses_the_right_password(staff_user):
    for _ in range(2):
        response, _ = sign_in("wrong")
        assert response.status_code == 200 and "Please enter the correct username" in response.content.decode()
    sign_in("wrong")
    response, client = sign_in("correct-horse-1")
    assert response.status_code == 429 and response["Retry-After"] == "900"
    assert "Too many failed sign-ins: try again in 15 minutes." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_every_password_check_is_refused_while_locked_not_only_the_form(staff_user):
    for _ in range(3):
        sign_in("wrong")
    request = RequestFactory().post("/accounts/login/", REMOTE_ADDR="198.51.100.7")
    assert authenticate(request, username="maria", password="correct-horse-1") is None


def test_the_staff_sign_in_page_is_protected_too(staff_user):
    for _ in range(3):
        sign_in("wrong", path="/accounts/login/")
    response, client = sign_in("correct-horse-1", path="/accounts/login/")
    assert response.status_code == 429 and "Too many failed sign-ins" in response.content.decode()


def test_a_locked_account_still_signs_in_from_another_address(staff_user):
    for _ in range(3):
        sign_in("wrong", address="203.0.113.9")
    assert sign_in("correct-horse-1", address="203.0.113.9")[0].status_code == 429
    response, client = sign_in("correct-horse-1", address="198.51.100.7")
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(staff_user.pk)


def test_the_lock_opens_after_the_cool_off(staff_user):
    for _ in range(3):
        sign_in("wrong")
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(seconds=901))
    response, client = sign_in("correct-horse-1")
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(staff_user.pk)


def test_a_success_before_the_limit_clears_the_count(staff_user):
    sign_in("wrong")
    sign_in("wrong")
    assert sign_in("correct-horse-1")[0].status_code == 302
    sign_in("wrong")
    sign_in("wrong")
    assert sign_in("correct-horse-1")[0].status_code == 302


def test_the_username_is_counted_whatever_its_case(staff_user):
    for name in ("maria", "MARIA", " Maria "):
        sign_in("wrong", username=name)
    assert sign_in("correct-horse-1")[0].status_code == 429


def test_an_address_trying_many_accounts_is_limited(staff_user):
    for number in range(6):
        sign_in("wrong", username=f"guess-{number}", address="203.0.113.66")
    response, _ = sign_in("correct-horse-1", address="203.0.113.66")
    assert response.status_code == 429 and "Too many failed sign-ins" in response.content.decode()
    assert sign_in("correct-horse-1", address="198.51.100.7")[0].status_code == 302  # from elsewhere maria is fine


def test_a_lock_made_in_another_process_holds_here(staff_user):
    run_in_another_process(
        "from django.contrib.auth import authenticate\n"
        "from django.test import RequestFactory\n"
        "for _ in range(5):\n"
        "    authenticate(RequestFactory().post('/accounts/login/', REMOTE_ADDR='192.0.2.50'), username='maria-elsewhere', password='x')\n")
    try:
        assert AccessAttempt.objects.filter(username="maria-elsewhere", ip_address="192.0.2.50", failures_since_start__gte=5).exists()
        from axes.handlers.proxy import AxesProxyHandler

        request = RequestFactory().post("/accounts/login/", REMOTE_ADDR="192.0.2.50")

        assert AxesProxyHandler.is_locked(request, {"username": "maria-elsewhere"})
    finally:
        run_in_another_process("from axes.models import AccessAttempt\n"
                               "AccessAttempt.objects.filter(username='maria-elsewhere').delete()\n")
