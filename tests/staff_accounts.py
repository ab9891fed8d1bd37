"""Accounts of the department workspace for tests: roads staff and manager, lighting staff, a planner, an
administrator and a citizen with no role."""
from django.contrib.auth.models import Group

from issues.models import Department, DepartmentMembership

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
