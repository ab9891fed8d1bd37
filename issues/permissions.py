"""Who may do what in the department workspace: staff, managers, civil-protection planners, administrators."""
from core.page_access import in_planner_group

from .models import Department, DepartmentMembership, Issue


def is_administrator(user) -> bool:
    return bool(user and user.is_authenticated and user.is_superuser)


def is_planner(user) -> bool:
    return in_planner_group(user)


def role_in(user, department: Department) -> str | None:
    """'staff', 'manager' or None for this user in this department."""
    if not (user and user.is_authenticated):
        return None
    return DepartmentMembership.objects.filter(user=user, department=department).values_list("role", flat=True).first()


def can_read_queue(user, department: Department) -> bool:
    return is_administrator(user) or is_planner(user) or role_in(user, department) is not None


def can_read_issue(user, issue: Issue) -> bool:
    return can_read_queue(user, issue.department)


def can_act_in(user, department: Department) -> bool:
    """Work the department's issues: acknowledge, start, resolve, close, reopen, notes, mark as duplicate."""
    return is_administrator(user) or role_in(user, department) is not None


def can_act(user, issue: Issue) -> bool:
    return can_act_in(user, issue.department)


def can_reassign(user, issue: Issue) -> bool:
    return is_administrator(user) or role_in(user, issue.department) == DepartmentMembership.Role.MANAGER


def can_see_reporter(user, issue: Issue) -> bool:
    """The reporter's contact details are for the staff who work the issue, not for planners."""
    return can_act(user, issue)


def readable_departments(user):
    """The departments whose queue this user may open: all for planners and administrators, else their own."""
    if is_administrator(user) or is_planner(user):
        return Department.objects.filter(active=True)
    if not (user and user.is_authenticated):
        return Department.objects.none()
    return Department.objects.filter(memberships__user=user).distinct()


def managed_departments(user):
    if not (user and user.is_authenticated):
        return Department.objects.none()
    return Department.objects.filter(memberships__user=user, memberships__role=DepartmentMembership.Role.MANAGER)


def can_read_figures(user) -> bool:
    """The KPI dashboard: planners and administrators (everything), managers (their departments)."""
    return is_administrator(user) or is_planner(user) or managed_departments(user).exists()


def kpi_scope(user, department: Department | None) -> tuple[bool, Department | None]:
    """(allowed, department to restrict to): planners and administrators see all; a manager their own."""
    if is_administrator(user) or is_planner(user):
        return True, department
    managed = managed_departments(user)
    if department is None:
        own = list(managed[:2])
        return (True, own[0]) if len(own) == 1 else (False, None)
    return managed.filter(pk=department.pk).exists(), department
