"""The staff workspace of participation: the evaluation queue (proposals by state, district, category and supports,
with their map), a proposal's evaluation (answer, evaluate, put on a budget's ballot) and the budgets (close the vote
and publish its results).

The city's participation staff (is_staff) see every proposal; a department's members (CONSUL's valuators) the
proposals assigned to their department. As the other participation pages, these write nothing themselves: their
scripts call the participation API (answer, budget projects, results publish), which calls the services.
"""
import json

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from core.i18n import choice_labels, localized
from core.page_access import page_for, page_refused
from participation import selectors
from participation.errors import NotAllowed
from participation.filters import EvaluationQueueFilter
from participation.models import Proposal
from participation.services.access import require_evaluator

QUEUE_LIMIT = 300
EVALUATORS = gettext_lazy("This page is for the city's participation staff and the departments that evaluate proposals.")
STAFF = gettext_lazy("This page is for the city's participation staff.")


def _is_evaluator(request, *args, **kwargs) -> bool:
    return selectors.is_evaluator(request.user)


def _is_staff(request, *args, **kwargs) -> bool:
    return request.user.is_staff


def _feature(proposal: Proposal) -> dict | None:
    if proposal.geom is None:
        return None
    return {"type": "Feature", "id": proposal.pk, "geometry": json.loads(proposal.geom.json),
            "properties": {"title": proposal.title, "state": proposal.state, "supports": proposal.support_count}}


# The sortable columns: the sort key, and the direction of the first click (most supports, highest cost first).
SORTABLE = {"title": "title", "supports": "-supports", "cost": "-cost"}


def _sort_links(request) -> dict:
    """{column: {url, aria}}: the address that sorts by the column (again: the other way), other filters kept,
    and aria-sort for the column sorted now."""
    current = request.GET.get("sort") or "-supports"
    links = {}
    for column, first in SORTABLE.items():
        other = first[1:] if first.startswith("-") else f"-{first}"
        params = request.GET.copy()
        params["sort"] = other if current == first else first
        aria = ("descending" if current.startswith("-") else "ascending") if current.lstrip("-") == column else ""
        links[column] = {"url": "?" + params.urlencode(), "aria": aria}
    return links


def _queue_row(proposal: Proposal) -> dict:
    department = selectors.assigned_department(proposal)
    return {"proposal": proposal, "department": localized(department, "name") if department else "",
            "category": localized(proposal.category, "name") if proposal.category else ""}


@require_GET
@page_for(_is_evaluator, EVALUATORS)
def evaluation_queue(request):
    """/participation/staff/ : the proposals this account evaluates, filtered and sorted, beside their map (the
    same filtered proposals)."""
    queue = EvaluationQueueFilter(request.GET, queryset=selectors.evaluation_queue(request.user))
    if not queue.is_valid():
        field, errors = next(iter(queue.errors.items()))
        return page_refused(request, 400, f"{field}: {' '.join(errors)}")
    total = queue.qs.count()
    proposals = list(queue.qs[:QUEUE_LIMIT])
    features = [f for f in map(_feature, proposals) if f]
    scope = selectors.evaluator_departments(request.user)
    departments = selectors.departments()
    sort = request.GET.get("sort", "")
    return render(request, "participation/pages/staff_queue.html", {
        "proposals": [_queue_row(p) for p in proposals],
        "total": total,
        "shown": len(proposals),
        "city_wide": sum(1 for p in proposals if p.geom is None),
        "department_names": [localized(d, "name") for d in departments if d.id in scope] if scope else [],
        "state_labels": choice_labels(Proposal.State),
        "filters": [
            {"name": name, "label": label, "choices": choices, "chosen": request.GET.get(name, "")}
            for name, label, choices in (
                ("process", _("Process"), [(p.slug, localized(p, "title"))
                                           for p in selectors.processes_visible(request.user)]),
                ("state", _("State"), [(k, v) for k, v in choice_labels(Proposal.State).items()
                                       if k != Proposal.State.DRAFT]),
                ("district", _("District"), [(d.code, localized(d, "name")) for d in selectors.districts()]),
                ("category", _("Category"), [(c.slug, localized(c, "name")) for c in selectors.categories()]),
                ("department", _("Department"), [(d.slug, localized(d, "name")) for d in departments
                                                 if scope is None or d.id in scope]),
            )],
        "sort": sort,
        "sort_links": _sort_links(request),
        "sorts": [("-supports", _("Most supports")), ("supports", _("Fewest supports")),
                  ("-published", _("Newest")), ("published", _("Oldest")), ("-cost", _("Highest cost")),
                  ("title", _("Title"))],
        "page_config": {
            "features": {"type": "FeatureCollection", "features": features},
            "evaluationPage": reverse("participation-page-evaluate", kwargs={"proposal_id": 0}),
            "stateLabels": choice_labels(Proposal.State),
        },
    })


@require_GET
@page_for(_is_evaluator, EVALUATORS)
def evaluation_page(request, proposal_id: int):
    """/participation/staff/proposals/<id>/ : one proposal to evaluate: its text, place, supports and history, and
    the actions its state allows: answer (accept or reject with a public reason), evaluate (cost, feasibility,
    responsible department), put it on a budget's ballot."""
    proposal = selectors.proposal_for_evaluation(proposal_id)
    if proposal is None:
        raise Http404(f"no proposal {proposal_id}")
    try:
        require_evaluator(request.user, proposal, _("evaluating a proposal"))
    except NotAllowed as refusal:
        return page_refused(request, 403, refusal.message)
    department = selectors.assigned_department(proposal)
    states = Proposal.State
    budgets = selectors.budgets_for_ballot(proposal.process) if request.user.is_staff else []
    on_ballot = {project.budget_id for project in proposal.projects.all()}
    return render(request, "participation/pages/staff_evaluate.html", {
        "proposal": proposal,
        "process_title": localized(proposal.process, "title"),
        "state_label": proposal.get_state_display(),
        "category_name": localized(proposal.category, "name") if proposal.category else "",
        "department": department,
        "department_name": localized(department, "name") if department else "",
        "district_names": [(localized(s.district, "name"), round(s.share * 100)) for s in proposal.district_shares.all()],
        "history": selectors.proposal_history(proposal),
        "state_labels": choice_labels(Proposal.State),
        "may_accept": proposal.state in (states.PUBLISHED, states.QUALIFIED),
        "may_reject": proposal.state in (states.PUBLISHED, states.QUALIFIED, states.ACCEPTED, states.EVALUATED),
        "may_evaluate": proposal.state == states.ACCEPTED,
        "may_ballot": proposal.state == states.EVALUATED and request.user.is_staff,
        "departments": [(d.slug, localized(d, "name")) for d in selectors.departments()],
        "budgets": [{"budget": b, "title": localized(b, "title")} for b in budgets if b.id not in on_ballot],
        "projects": [{"project": p, "title": localized(p.budget, "title")} for p in proposal.projects.all()],
        "page_config": {
            "geometry": json.loads(proposal.geom.json) if proposal.geom else None,
            "urls": {
                "answer": reverse("participation-answer", kwargs={"proposal_id": proposal.pk}),
                "projects": reverse("participation-budget-projects", kwargs={"budget_id": 0}),
            },
            "proposal": proposal.pk,
        },
    })


@require_GET
@page_for(_is_staff, STAFF)
def budgets_page(request):
    """/participation/staff/budgets/ : every budget with its vote's dates and projects: close the vote and publish
    its results once voting has closed (before, the button says when it closes)."""
    now = timezone.now()
    rows = []
    for budget in selectors.budgets_for_staff():
        voting = selectors.voting_phase(budget.process)
        rows.append({"budget": budget, "title": localized(budget, "title"),
                     "process_title": localized(budget.process, "title"), "voting": voting,
                     "closed": voting is not None and voting.ends_at <= now,
                     "publish_url": reverse("participation-results-publish", kwargs={"budget_id": budget.pk})})
    return render(request, "participation/pages/staff_budgets.html", {"rows": rows, "page_config": {"budgets": True}})
