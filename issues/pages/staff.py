"""Staff pages: the workspace (what this account may open) and a department's queue on a map.

The queue page is a map and a list of the department's issues that follow each other, filters, and the panel
of one issue with the actions this account may take; its script calls the workspace API
(/api/departments/{slug}/queue, /api/issues/{id}, /api/issues/{id}/actions/{action}) with the session and
the CSRF token, sending If-Match with the issue's ETag.
"""
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from issues import permissions
from issues.models import Category, Department, DepartmentMembership, Issue, IssueUpdate
from layers.models import District
from core.i18n import localized
from core.page_access import page_for, planner_or_administrator

from . import labels

QUEUE_PAGE_SIZE = 100


def has_workspace_role(user) -> bool:
    """Department staff or manager, planner or administrator."""
    return planner_or_administrator(user) or DepartmentMembership.objects.filter(user=user).exists()


def _can_open_queue(request, slug) -> bool:
    department = Department.objects.filter(slug=slug).first()
    return department is None or permissions.can_read_queue(request.user, department)  # an unknown one is a 404


@require_GET
@page_for(lambda request: has_workspace_role(request.user),
          _("This page is for department staff and managers, civil-protection planners and administrators."))
def workspace(request):
    user = request.user
    departments = permissions.readable_departments(user).annotate(
        open_issues=Count("issues", filter=Q(issues__status__in=Issue.OPEN_STATUSES), distinct=True),
    ).order_by("name_en")
    roles = dict(DepartmentMembership.objects.filter(user=user).values_list("department_id", "role"))
    return render(request, "issues/pages/workspace.html", {
        "departments": [{"slug": d.slug, "name": localized(d, "name"), "role": roles.get(d.pk),
                         "open_issues": d.open_issues} for d in departments],
        "is_planner": permissions.is_planner(user),
        "is_administrator": permissions.is_administrator(user),
        "can_read_figures": permissions.can_read_figures(user),
        "can_open_planner_map": planner_or_administrator(user),
    })


@require_GET
@page_for(_can_open_queue, _("A department's queue is for its staff and managers, civil-protection planners and administrators."))
def department_queue(request, slug):
    department = get_object_or_404(Department, slug=slug)
    user = request.user
    categories = Category.objects.filter(active=True).order_by("group_en", "name_en")
    districts = District.objects.order_by("code")
    filters = {name: request.GET.get(name, "") for name in ("status", "category", "district", "priority", "q")}
    page_config = {
        "department": department.slug,
        "queueUrl": reverse("department-queue", kwargs={"slug": department.slug}),
        "issuesUrl": reverse("issue-detail", kwargs={"issue_id": 0}).removesuffix("0"),
        "pageSize": QUEUE_PAGE_SIZE,
        "canAct": permissions.can_act_in(user, department),
        "canReassign": permissions.is_administrator(user)
        or permissions.role_in(user, department) == DepartmentMembership.Role.MANAGER,
        "statuses": labels.choices(Issue.Status.choices),
        "priorities": labels.choices(reversed(Issue.Priority.choices)),
        "closeReasons": labels.choices(reversed(Issue.CloseReason.choices)),
        "actions": labels.choices(labels.ACTION_NAMES),
        "historyKinds": labels.choices(IssueUpdate.Kind.choices),
        "moves": labels.moves_by_status(),
        "openStatuses": list(Issue.OPEN_STATUSES),
        "departments": [{"value": d.slug, "label": localized(d, "name")}
                        for d in Department.objects.filter(active=True).exclude(pk=department.pk).order_by("name_en")],
    }
    return render(request, "issues/pages/queue.html", {
        "department": department,
        "department_name": localized(department, "name"),
        "statuses": Issue.Status.choices,
        "priorities": list(reversed(Issue.Priority.choices)),
        "categories": [(c.service_code, localized(c, "name")) for c in categories],
        "districts": [(d.code, localized(d, "name")) for d in districts],
        "filters": filters,
        "page_config": page_config,
    })
