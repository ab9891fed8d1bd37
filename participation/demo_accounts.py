"""The demo's sign-in accounts, so that a newcomer can open every page: a civil-protection planner, a department's
manager, a participation evaluator and a verified resident. Made only where the settings allow them
(DEMO_ACCOUNTS: the development, `make run` and test settings; never the production settings).

Their passwords are generated once and kept in DEMO_ACCOUNTS_FILE (var/demo-accounts.json, outside git, readable by
its owner only), so loading the demo again, or `make run` again, prints the same ones; delete the file for new ones.
Generated rather than fixed: a server started with HOST=0.0.0.0 would otherwise open staff pages to anyone who has
read the README."""
import io
import json
import os
import secrets
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction

from issues.models import Department, DepartmentMembership
from layers.models import District

from .demo import verify_demo_resident
from .errors import NotAllowed
from .services.verification import census_import

MANAGED_DEPARTMENT = "roads-pavements"
RESIDENT_IDENTIFIER, RESIDENT_BIRTH = "DEMORESIDENT01", date(1985, 5, 20)


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    sees: str
    staff: bool = False  # is_staff: what participation's staff actions check


ACCOUNTS = [
    DemoAccount("demo-planner", "civil-protection planner",
                "/planner/ (hazard map, district reports), /staff/ and every queue (read only), /staff/figures/"),
    DemoAccount("demo-manager", f"manager of {MANAGED_DEPARTMENT}",
                f"/staff/, /staff/queue/{MANAGED_DEPARTMENT}/ (every action, reassign), /staff/figures/ (its department), "
                f"/participation/staff/ (evaluates the proposals assigned to {MANAGED_DEPARTMENT})"),
    DemoAccount("demo-evaluator", "participation evaluator (staff)",
                "/participation/ with unpublished processes; /participation/staff/: answers and evaluates proposals, "
                "puts them on a budget's ballot, publishes a closed vote's results; hides comments; "
                "/admin/ (participation, read only)", staff=True),
    DemoAccount("demo-resident", "verified resident",
                "/participation/: proposes, supports, comments and votes in the Participatory Budget 2027"),
]


def demo_accounts_allowed() -> None:
    """Refuses (NotAllowed) under settings that do not allow demo accounts: the production settings never do."""
    if not settings.DEMO_ACCOUNTS:
        raise NotAllowed("the demo's sign-in accounts (passwords printed on the screen) are never made under these "
                         f"settings ({settings.SETTINGS_MODULE}); load the demo with gis_portal.settings.dev or "
                         "gis_portal.settings.local, and give real accounts their roles in the admin")


@transaction.atomic
def demo_accounts_create() -> list[tuple[DemoAccount, str]]:
    """Make (or bring back to their role and password) the demo accounts; [(account, password)]."""
    demo_accounts_allowed()
    passwords = _passwords()
    users = get_user_model()
    made = []
    for account in ACCOUNTS:
        user, _ = users.objects.get_or_create(username=account.username)
        user.is_staff = account.staff
        user.is_superuser = False
        user.set_password(passwords[account.username])
        user.save()
        user.groups.clear()
        DepartmentMembership.objects.filter(user=user).delete()
        made.append((account, passwords[account.username]))
    _roles({a.username: users.objects.get(username=a.username) for a in ACCOUNTS})
    return made


def _roles(users: dict) -> None:
    users["demo-planner"].groups.add(Group.objects.get_or_create(name=settings.PLANNER_GROUP)[0])
    department = Department.objects.filter(slug=MANAGED_DEPARTMENT).first()
    if department is None:
        raise NotAllowed(f"the demo's department {MANAGED_DEPARTMENT!r} is missing: load the catalogue first "
                         "(issues_load_demo --commit)")
    DepartmentMembership.objects.create(user=users["demo-manager"], department=department,
                                        role=DepartmentMembership.Role.MANAGER)
    users["demo-evaluator"].groups.add(participation_evaluators())
    district = District.objects.order_by("code").first()
    census_import(lines=io.StringIO(f"identifier,date_of_birth,district\n{RESIDENT_IDENTIFIER},"
                                    f"{RESIDENT_BIRTH.isoformat()},{district.code}\n"), commit=True)
    verify_demo_resident(users["demo-resident"], RESIDENT_IDENTIFIER, RESIDENT_BIRTH)


def participation_evaluators() -> Group:
    """The evaluators' group (settings.PARTICIPATION_EVALUATOR_GROUP), with the admin's view of participation's
    records; its members also need is_staff, which participation's staff actions check."""
    group, _ = Group.objects.get_or_create(name=settings.PARTICIPATION_EVALUATOR_GROUP)
    group.permissions.set(Permission.objects.filter(content_type__app_label="participation", codename__startswith="view_"))
    return group


def _passwords() -> dict[str, str]:
    """The accounts' passwords from DEMO_ACCOUNTS_FILE, the missing ones generated and added to it."""
    path = settings.DEMO_ACCOUNTS_FILE
    kept = json.loads(path.read_text()) if path.exists() else {}
    missing = [a.username for a in ACCOUNTS if not kept.get(a.username)]
    if missing:
        kept.update({username: secrets.token_urlsafe(12) for username in missing})
        path.parent.mkdir(parents=True, exist_ok=True)
        with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as out:
            json.dump(kept, out, indent=1)
    return kept


def demo_accounts_stored() -> list[tuple[DemoAccount, str]]:
    """The demo accounts in the database whose password is in DEMO_ACCOUNTS_FILE, [(account, password)]."""
    demo_accounts_allowed()
    path = settings.DEMO_ACCOUNTS_FILE
    kept = json.loads(path.read_text()) if path.exists() else {}
    present = set(get_user_model().objects.filter(username__in=[a.username for a in ACCOUNTS])
                  .values_list("username", flat=True))
    return [(a, kept[a.username]) for a in ACCOUNTS if a.username in present and kept.get(a.username)]


def demo_accounts_table(accounts: list[tuple[DemoAccount, str]]) -> str:
    """The accounts as a short table: username, password, role, what they can open."""
    if not accounts:
        return "no demo accounts: load the demo (make demo) first"
    width = max(len(a.username) for a, _ in accounts)
    pw = max(len(p) for _, p in accounts)
    lines = [f"Demo accounts (sign in at /accounts/login/; passwords kept in {settings.DEMO_ACCOUNTS_FILE}):",
             f"  {'username':<{width}}  {'password':<{pw}}  role: what it opens"]
    lines += [f"  {a.username:<{width}}  {p:<{pw}}  {a.role}: {a.sees}" for a, p in accounts]
    return "\n".join(lines)
