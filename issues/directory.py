"""Staff sign-in with the city's directory (LDAP, through django-auth-ldap).

A directory account signs in with its directory password; its Django user is made or refreshed at each
sign-in (names, e-mail) and its directory groups give its departments and roles (LDAP_GROUP_ROLES: group DN →
"<department slug>:staff", "<department slug>:manager" or "planner"). The directory is the source of truth for
its accounts: a group left in the directory is a role lost at the next sign-in. Members of LDAP_DISABLED_GROUP
are refused, and so are all when the directory cannot be reached; the sign-in form says which
(DirectoryAuthenticationForm). Local accounts (administrators) keep signing in with their own passwords
through the model backend that follows this one in AUTHENTICATION_BACKENDS.
"""
import ldap
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django_auth_ldap.backend import LDAPBackend, ldap_error

from .models import Department, DepartmentMembership

DISABLED = "disabled"
UNREACHABLE = "unreachable"
_PROBLEM = "_directory_problem"  # set on the request by the backend, read by the form
_UNREACHABLE_ERRORS = (ldap.SERVER_DOWN, ldap.TIMEOUT, ldap.CONNECT_ERROR)


def directory_problem(request) -> str | None:
    """Why the directory refused this request's sign-in, when it was not simply a wrong password."""
    return getattr(request, _PROBLEM, None) if request is not None else None


def _note(request, problem: str) -> None:
    if request is not None:
        setattr(request, _PROBLEM, problem)


class DirectoryBackend(LDAPBackend):
    """django-auth-ldap's backend, refusing disabled accounts and mapping directory groups to roles."""

    def authenticate_ldap_user(self, ldap_user, password):
        user = super().authenticate_ldap_user(ldap_user, password)
        if user is None:
            return None
        groups = {dn.lower() for dn in (ldap_user.group_dns or ())}
        disabled = (settings.LDAP_DISABLED_GROUP or "").lower()
        if disabled and disabled in groups:
            if user.is_active:
                user.is_active = False
                user.save(update_fields=["is_active"])
            _note(ldap_user._request, DISABLED)
            return None
        if not user.is_active:  # enabled again in the directory
            user.is_active = True
            user.save(update_fields=["is_active"])
        directory_roles_sync(user=user, group_dns=groups)
        return user


def _on_ldap_error(sender, context=None, user=None, request=None, exception=None, **kwargs):
    if isinstance(exception, _UNREACHABLE_ERRORS):
        _note(request, UNREACHABLE)


ldap_error.connect(_on_ldap_error, dispatch_uid="issues.directory.unreachable")


@transaction.atomic
def directory_roles_sync(*, user, group_dns: set[str]) -> None:
    """The user's department memberships and planner group, as its directory groups say (manager wins over staff
    when two groups name the same department). Groups the mapping does not name are ignored."""
    mapping = {dn.lower(): role for dn, role in settings.LDAP_GROUP_ROLES.items()}
    wanted: dict[str, str] = {}
    planner = False
    for dn in group_dns:
        role = mapping.get(dn)
        if role is None:
            continue
        if role == "planner":
            planner = True
            continue
        slug, _sep, kind = role.partition(":")
        if kind == DepartmentMembership.Role.MANAGER or wanted.get(slug) != DepartmentMembership.Role.MANAGER:
            wanted[slug] = kind or DepartmentMembership.Role.STAFF
    departments = {d.slug: d for d in Department.objects.filter(slug__in=wanted)}
    DepartmentMembership.objects.filter(user=user).exclude(department__slug__in=list(departments)).delete()
    for slug, department in departments.items():
        DepartmentMembership.objects.update_or_create(user=user, department=department, defaults={"role": wanted[slug]})
    planners = Group.objects.get_or_create(name=settings.PLANNER_GROUP)[0]
    if planner:
        user.groups.add(planners)
    else:
        user.groups.remove(planners)


class DirectoryAuthenticationForm(AuthenticationForm):
    """The staff sign-in form: says when a directory account is disabled or the directory cannot be reached,
    instead of the wrong-password message."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "directory_disabled": _("This account is disabled in the city's directory. Ask the IT department to enable it."),
        "directory_unreachable": _("The city's directory cannot be reached, so directory accounts cannot sign in now. "
                                   "Try again in a few minutes; administrators can sign in with their local accounts."),
    }
    directory_problem = None

    def get_invalid_login_error(self):
        problem = directory_problem(self.request)
        if problem in (DISABLED, UNREACHABLE):
            self.directory_problem = self.error_messages[f"directory_{problem}"]
            return ValidationError(self.directory_problem, code=f"directory_{problem}")
        return super().get_invalid_login_error()
