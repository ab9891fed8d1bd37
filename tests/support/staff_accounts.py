"""Accounts of the department workspace for tests (roads staff and manager, lighting staff, a planner, an administrator
and a citizen with no role), and signing in with them in the browser tests."""
import re

from django.contrib.auth.models import Group

from issues.models import Department, DepartmentMembership
from tests.support.browser import DESKTOP, LOCALES

ACCOUNTS = {
    # role: (user name, department, membership role, planner, superuser)
    "nobody": ("nikos", None, None, False, False),
    "roads_staff": ("anna", "roads-pavements", "staff", False, False),
    "roads_manager": ("babis", "roads-pavements", "manager", False, False),
    "lighting_staff": ("chris", "street-lighting", "staff", False, False),
    "planner": ("dora", None, None, True, False),
    "admin": ("eleni", None, None, False, True),
}
PASSWORD = "pw-123456"


def staff_accounts(user_model, roles=tuple(ACCOUNTS)) -> dict:
    """The accounts of the given roles, {role: user}, each with the password PASSWORD."""
    users = {}
    for role in roles:
        username, department, membership, planner, superuser = ACCOUNTS[role]
        create = user_model.objects.create_superuser if superuser else user_model.objects.create_user
        user = users[role] = create(username, password=PASSWORD)
        if department:
            DepartmentMembership.objects.create(user=user, department=Department.objects.get(slug=department), role=membership)
        if planner:
            user.groups.add(Group.objects.get_or_create(name="civil-protection-planners")[0])
    return users


def sign_in(web, path: str, username: str, *, lang: str = "en", phone: bool = False):
    """A browser page (tests/support/browser.py) that asks for path, signs in on the sign-in page it is sent to, and
    lands on path."""
    page = web.page(path, lang=lang, phone=phone)
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator(".login-form button[type=submit]").click()
    page.wait_for_url(f"**{path}")
    return page


OUTSIDE = re.compile(r"^(?!https?://127\.0\.0\.1[:/])[a-z]+://.*")


def sign_in_for_printable_pages(web, username: str, *, lang: str = "en"):
    """A signed-in browser page for folium's printable pages (their inline code runs by the response's CSP nonce), with the harness's request log and its refusal of any request leaving 127.0.0.1."""
    context = web.browser.new_context(base_url=web.server.url, locale=LOCALES[lang], **DESKTOP)
    web.contexts.append(context)
    context.on("request", lambda request: web.requests.append(request.url))
    context.route(OUTSIDE, lambda route: (web.outside_requests.append(route.request.url), route.abort("blockedbyclient")))
    page = context.new_page()
    page.on("pageerror", lambda error: web.page_errors.append(str(error)))
    web.pages.append(page)
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator(".login-form button[type=submit]").click()
    page.wait_for_url("**/staff/")
    return page
