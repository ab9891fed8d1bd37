"""Staff sign-in with the city's directory, against a real OpenLDAP server (tests/support/ldap_server.py): groups give
departments and roles, a wrong password, a disabled account and an unreachable directory each get their own
message, local administrators keep signing in, and the lock-out still applies."""
import ldap
import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django_auth_ldap.config import GroupOfNamesType, LDAPSearch

from issues.models import DepartmentMembership
from tests.support.ldap_server import GROUPS, PASSWORD, PEOPLE, directory, group_dn

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/login/"
WRONG = "The user name or the password is wrong"
BACKENDS = ["axes.backends.AxesStandaloneBackend", "issues.directory.DirectoryBackend",
            "django.contrib.auth.backends.ModelBackend"]


@pytest.fixture(scope="module")
def city_directory():
    with directory() as server:
        yield server


@pytest.fixture
def with_directory(settings, city_directory):
    configure(settings, city_directory.uri)
    return city_directory


def configure(settings, uri):
    settings.AUTHENTICATION_BACKENDS = BACKENDS
    settings.AUTH_LDAP_SERVER_URI = uri
    settings.AUTH_LDAP_BIND_DN = ""
    settings.AUTH_LDAP_USER_SEARCH = LDAPSearch(PEOPLE, ldap.SCOPE_SUBTREE, "(uid=%(user)s)")
    settings.AUTH_LDAP_GROUP_SEARCH = LDAPSearch(GROUPS, ldap.SCOPE_SUBTREE, "(objectClass=groupOfNames)")
    settings.AUTH_LDAP_GROUP_TYPE = GroupOfNamesType()
    settings.AUTH_LDAP_CONNECTION_OPTIONS = {ldap.OPT_NETWORK_TIMEOUT: 2, ldap.OPT_TIMEOUT: 2}
    settings.LDAP_GROUP_ROLES = {
        group_dn("roads-staff"): "roads-pavements:staff",
        group_dn("roads-managers"): "roads-pavements:manager",
        group_dn("lighting-staff"): "street-lighting:staff",
        group_dn("planners"): "planner",
    }
    settings.LDAP_DISABLED_GROUP = group_dn("disabled-accounts")


def sign_in(username, password):
    client = Client()
    response = client.post(LOGIN, {"username": username, "password": password}, HTTP_ACCEPT_LANGUAGE="en")
    return client, response


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def roles(username) -> dict:
    return {m.department.slug: m.role for m in DepartmentMembership.objects.filter(user__username=username)}


def test_directory_account_signs_in_with_its_departments_and_names(with_directory):
    client, response = sign_in("maria", PASSWORD)
    assert response.status_code == 302 and signed_in(client)
    user = get_user_model().objects.get(username="maria")
    assert (user.first_name, user.last_name, user.email) == ("Maria", "Papadopoulou", "maria@thessaloniki.invalid")
    assert not user.has_usable_password()  # the password stays in the directory
    assert roles("maria") == {"roads-pavements": "staff", "street-lighting": "staff"}


def test_directory_groups_make_a_manager_and_a_planner(with_directory, settings):
    client, _ = sign_in("nikos", PASSWORD)
    assert signed_in(client)
    assert roles("nikos") == {"roads-pavements": "manager"}
    assert get_user_model().objects.get(username="nikos").groups.filter(name=settings.PLANNER_GROUP).exists()


def test_a_group_left_in_the_directory_is_a_role_lost_at_the_next_sign_in(with_directory, settings):
    sign_in("maria", PASSWORD)
    settings.LDAP_GROUP_ROLES = {group_dn("roads-staff"): "roads-pavements:staff"}  # lighting no longer mapped
    client, _ = sign_in("maria", PASSWORD)
    assert signed_in(client) and roles("maria") == {"roads-pavements": "staff"}


def test_wrong_directory_password_says_so(with_directory):
    client, response = sign_in("maria", "not-the-password")
    assert response.status_code == 200 and not signed_in(client)
    assert WRONG in response.content.decode()


def test_disabled_directory_account_is_told_to_ask_it(with_directory):
    client, response = sign_in("olga", PASSWORD)
    assert not signed_in(client)
    page = response.content.decode()
    assert "This account is disabled in the city&#x27;s directory" in page and WRONG not in page
    assert not get_user_model().objects.get(username="olga").is_active


def test_unreachable_directory_says_so_and_local_administrators_still_sign_in(settings, django_user_model):
    with directory() as stopped:
        uri = stopped.uri
    configure(settings, uri)  # its port no longer answers
    django_user_model.objects.create_superuser("eleni", password="local-admin-pw")
    client, response = sign_in("maria", PASSWORD)
    assert not signed_in(client)
    assert "cannot be reached" in response.content.decode()
    admin, _ = sign_in("eleni", "local-admin-pw")
    assert signed_in(admin)


def test_local_administrator_signs_in_beside_the_directory(with_directory, django_user_model):
    django_user_model.objects.create_superuser("eleni", password="local-admin-pw")
    client, _ = sign_in("eleni", "local-admin-pw")
    assert signed_in(client)
    _, wrong = sign_in("eleni", "nope")
    assert WRONG in wrong.content.decode()


def test_lock_out_applies_to_directory_accounts(with_directory, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in("maria", "guess")
    client, response = sign_in("maria", PASSWORD)  # the right password, too late
    assert not signed_in(client) and response.status_code == 429
    assert "Too many failed sign-ins" in response.content.decode()


def test_successful_directory_sign_ins_do_not_count_towards_the_lock_out(with_directory, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        client, _ = sign_in("maria", PASSWORD)
        assert signed_in(client)


def test_disabled_directory_account_is_told_in_greek_too(with_directory):
    response = Client().post(LOGIN, {"username": "olga", "password": PASSWORD}, HTTP_ACCEPT_LANGUAGE="el")
    assert "απενεργοποιημένος στον κατάλογο του Δήμου" in response.content.decode()
