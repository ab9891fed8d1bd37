"""Residents' own pages: creating an account (signed in at once, the password rules, a taken name, the limit on
attempts from one address), and verifying residence and e-mail without scripts; a refused support names the page."""
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.utils import timezone

from participation.models import CensusRecord, Verification
from participation.services.verification import census_key
from layers.models import District
from tests.participation.conftest import make_process, set_phase
from tests.participation.test_engagement import published

pytestmark = pytest.mark.django_db
STRONG = "a-long-enough-pass-7"


def register(client, **fields):
    data = {"username": "eleni", "email": "eleni@example.org", "password": STRONG, **fields}
    return client.post("/participation/account/register/", data, HTTP_ACCEPT_LANGUAGE="en")


def test_registering_creates_the_account_and_signs_in_on_the_way_to_verification():
    client = Client()
    response = register(client)
    assert response.status_code == 302 and response["Location"] == "/participation/account/verification/"
    user = get_user_model().objects.get(username="eleni")
    assert client.session["_auth_user_id"] == str(user.pk) and user.check_password(STRONG)


def test_registering_returns_to_the_page_the_resident_came_from():
    response = register(Client(), next="/participation/test-process/")
    assert response["Location"] == "/participation/test-process/"
    assert register(Client(), username="other", next="https://elsewhere.example/")["Location"] == \
        "/participation/account/verification/"  # never to another site


def test_a_weak_password_is_refused_next_to_its_field_and_no_account_is_made():
    response = register(Client(), password="123")
    assert response.status_code == 400
    assert 'id="error-password"' in response.content.decode()
    assert not get_user_model().objects.filter(username="eleni").exists()


def test_a_taken_name_is_refused_whatever_its_case():
    register(Client())
    response = register(Client(), username="ELENI")
    assert response.status_code == 400 and "is taken" in response.content.decode()
    assert get_user_model().objects.filter(username__iexact="eleni").count() == 1


def test_registrations_from_one_address_are_limited(settings):
    settings.ANONYMOUS_WRITE_LIMIT = 2
    statuses = [register(Client(REMOTE_ADDR="203.0.113.40"), username=f"name{i}").status_code for i in range(3)]
    assert statuses == [302, 302, 429]
    assert get_user_model().objects.filter(username__startswith="name").count() == 2


def test_the_verification_page_needs_a_sign_in():
    response = Client().get("/participation/account/verification/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/?next=")


def _census(identifier: str, birth, district="D2"):
    CensusRecord.objects.create(key=census_key(identifier, birth), district=District.objects.get(code=district))


def test_a_resident_verifies_residence_and_e_mail(django_user_model, django_capture_on_commit_callbacks):
    user = django_user_model.objects.create_user("kostas", password=STRONG)
    birth = timezone.localdate().replace(year=1975)
    _census("AK 123456", birth)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    page = "/participation/account/verification/"
    wrong = client.post(page, {"step": "residence", "identifier": "AK 999999", "date_of_birth": birth.isoformat()})
    assert wrong.status_code == 403 and 'id="error-residence"' in wrong.content.decode()
    bad_date = client.post(page, {"step": "residence", "identifier": "AK 123456", "date_of_birth": "31/12/1975"})
    assert bad_date.status_code == 400 and "YYYY-MM-DD" in bad_date.content.decode()
    matched = client.post(page, {"step": "residence", "identifier": "AK 123456", "date_of_birth": birth.isoformat()})
    assert matched.status_code == 200 and 'id="residence-done"' in matched.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(page, {"step": "email", "email": "kostas@example.org"})
    assert sent.status_code == 200 and 'id="code-sent"' in sent.content.decode()
    code = re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)
    wrong_code = client.post(page, {"step": "code", "code": "000000" if code != "000000" else "111111"})
    assert wrong_code.status_code == 400 and 'id="error-code"' in wrong_code.content.decode()
    done = client.post(page, {"step": "code", "code": code})
    assert done.status_code == 200 and 'id="verified"' in done.content.decode()
    assert Verification.objects.get(user=user).verified


def test_an_unknown_step_is_a_clear_400(django_user_model):
    client = Client()
    client.force_login(django_user_model.objects.create_user("maria2", password=STRONG))
    response = client.post("/participation/account/verification/", {"step": "nothing"})
    assert response.status_code == 400 and "step: one of residence, email, code" in response.content.decode()


def test_the_refusal_of_an_unverified_support_names_the_verification_page(resident, django_user_model):
    process = make_process(open_phase="proposals")
    proposal = published(process, resident("D1"))
    set_phase(process, "supports")
    client = Client()
    client.force_login(django_user_model.objects.create_user("nikos", password=STRONG))
    response = client.post(f"/api/participation/proposals/{proposal.pk}/support", content_type="application/json", data={})
    assert response.status_code == 403
    assert "/participation/account/verification/" in response.json()["detail"]
