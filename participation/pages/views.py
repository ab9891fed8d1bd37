"""The participation pages: the processes, a process with its phases and map, the proposal form (on the map or
without it), a proposal's page, the ballot and the results.

The pages write nothing themselves: their scripts call the participation API (/api/participation/...) with the
session and the page's CSRF token, as any other client does; the proposals on the maps come from the OGC API's
vector tiles of the `participation-proposals` collection.
"""
import secrets
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core.i18n import choice_labels, localized
from participation.filters import ProposalFilter
from participation.meetings import meetings_of
from participation.models import Budget, Component, Phase, Proposal
from participation.phases import current_phase
from participation.results import budget_results
from participation import selectors
from participation.selectors import supported_ids
from participation.services.budgets import ballot_cast_by, ballot_of, ballots_counted


PROPOSALS = "participation-proposals"


def _tiles(collection_id: str) -> str:
    """The OGC API's vector tile URL template of a collection, {z}/{y}/{x} for the script to fill."""
    return reverse("ogc-tile", kwargs={"collection_id": collection_id, "z": 0, "y": 0, "x": 0}).replace(
        "/0/0/0", "/{z}/{y}/{x}")


def _choices(items) -> list[tuple[str, str]]:
    return [(item.slug if hasattr(item, "slug") else item.code, localized(item, "name")) for item in items]


def _timeline(process) -> list[dict]:
    """Each phase with its label and whether it is over, open now or to come."""
    now = timezone.now()
    return [{"phase": phase, "label": phase.get_kind_display(),
             "when": "past" if phase.ends_at <= now else "now" if phase.starts_at <= now else "future"}
            for phase in process.phases.all()]


def follow_form(request, kind: str, target, follow) -> dict:
    """What the follow button posts: the thing, or the follow to stop; and the page to come back to."""
    return {"kind": kind, "target": target, "follow_id": follow.pk if follow else None, "next": request.path}


def _process_or_404(slug: str):
    process = selectors.published_process(slug)
    if process is None:
        raise Http404(f"no published process {slug!r}")
    return process


@require_GET
def process_list(request):
    """/participation/ : the published processes, each with its kind, districts and the phase open now."""
    processes = selectors.processes_listed()
    for process in processes:
        process.kind_label = process.get_kind_display()
        process.phase_label = process.now.get_kind_display() if process.now else ""
        process.display_title = localized(process, "title")
    return render(request, "participation/pages/process_list.html", {"processes": processes})


PAGE_SIZE = 20
CITY_WIDE_BESIDE_MAP = 10
BROWSE_PARAMS = ("state", "category", "district", "place", "q", "sort", "seed")


def _browse(request, process) -> dict:
    """The process's public proposals as the API's ProposalFilter chooses and orders them (the same parameters), one
    page of them, the city-wide ideas among them, and the ids the map keeps when words are searched (the map's tiles
    carry state, category and districts, so the other filters are applied to them in the browser)."""
    params = {name: request.GET.get(name, "").strip() for name in BROWSE_PARAMS}
    if params["sort"] == "random" and not params["seed"]:
        params["seed"] = secrets.token_hex(4)
    filterset = ProposalFilter({k: v for k, v in params.items() if v}, queryset=selectors.proposals_of(process),
                               request=request)
    error = None
    if filterset.is_valid():
        proposals = filterset.qs
    else:
        name, messages = next(iter(filterset.errors.items()))
        error = {"parameter": name, "message": messages[0]}
        params[name] = ""
        proposals = selectors.proposals_listed(selectors.proposals_of(process), user=request.user, mine=False)
    page = Paginator(proposals, PAGE_SIZE).get_page(request.GET.get("page"))
    city_wide = proposals.filter(geom__isnull=True) if params["place"] != "with" else proposals.none()
    kept = {k: v for k, v in params.items() if v}
    return {
        "params": params,
        "error": error,
        "page": page,
        "query": urlencode(kept),
        "page_links": {
            "previous": "?" + urlencode({**kept, "page": page.previous_page_number()}) if page.has_previous() else "",
            "next": "?" + urlencode({**kept, "page": page.next_page_number()}) if page.has_next() else "",
        },
        "city_wide": list(city_wide[:CITY_WIDE_BESIDE_MAP]) if params["place"] != "with" else [],
        "city_wide_count": city_wide.count() if params["place"] != "with" else 0,
        "city_wide_link": "?" + urlencode({**kept, "place": "without"}),
        "map_ids": (list(proposals.filter(geom__isnull=False).values_list("id", flat=True)[:MAP_IDS_CAP])
                    if params["q"] and not error else None),
    }


MAP_IDS_CAP = 20_000


@require_GET
def process_page(request, slug: str):
    """/participation/<slug>/ : the process's text, its phase timeline, every public proposal with filters (state,
    category, district, with or without a place, words), sorting (newest, most supported, random by a seed kept
    across pages) and pages; the map follows the filters and the city-wide ideas are listed beside it; its budgets
    (ballot, results). With ?part=list only the list (the page's script replaces it when a filter changes)."""
    process = _process_or_404(slug)
    categories = selectors.categories()
    districts = selectors.districts()
    browse = _browse(request, process)
    context = {
        "process": process,
        "uses_proposals": process.uses(Component.PROPOSALS),
        "browse": browse,
        "state_labels": choice_labels(Proposal.State),
    }
    if request.GET.get("part") == "list":
        return render(request, "participation/pages/_proposal_results.html", context,
                      status=400 if browse["error"] else 200)
    page_config = {
        "process": process.slug,
        "tiles": {
            "proposals": _tiles(PROPOSALS),
            "hazards": _tiles("hazard-zones"),
            "heritage": _tiles("heritage-sites"),
            "issues": _tiles("open-issues"),
        },
        "layerNames": {"proposals": PROPOSALS},
        "properties": {"process": "process", "state": "state", "category": "category",
                       "district": "districts", "title": "title"},
        "proposalPage": reverse("participation-page-proposal", kwargs={"proposal_id": 0}),
        "stateLabels": choice_labels(Proposal.State),
        "categoryLabels": {c.slug: localized(c, "name") for c in categories},
    }
    public_states = [(k, v) for k, v in choice_labels(Proposal.State).items() if k in Proposal.PUBLIC_STATES]
    return render(request, "participation/pages/process.html", {
        **context,
        "display_title": localized(process, "title"),
        "description": localized(process, "description"),
        "kind_label": process.get_kind_display(),
        "timeline": _timeline(process),
        "legend": public_states,
        "filters": {
            "state": public_states,
            "category": _choices(categories),
            "district": _choices(districts),
            "place": [("with", _("With a place on the map")), ("without", _("City-wide ideas (no place)"))],
        },
        "filter_labels": {"state": _("State"), "category": _("Category"), "district": _("District"),
                          "place": _("Place")},
        "sorts": [("newest", _("Newest")), ("supported", _("Most supported")), ("random", _("Random"))],
        "budgets": ([{"budget": b, "title": localized(b, "title")} for b in process.budgets.all()]
                    if process.uses(Component.BUDGETS) else []),
        "meetings": ([{"meeting": m, "title": localized(m, "title")} for m in meetings_of(process)]
                     if process.uses(Component.MEETINGS) else None),
        "follow": follow_form(request, "process", process.slug, selectors.follow_of(request.user, process=process)),
        "proposing": process.uses(Component.PROPOSALS) and selectors.phase_open(process, Phase.Kind.PROPOSALS),
        "voting": selectors.phase_open(process, Phase.Kind.VOTING),
        "page_config": page_config,
    }, status=400 if browse["error"] else 200)


def _proposal_form(request, slug: str, *, with_map: bool):
    process = _process_or_404(slug)
    categories = selectors.categories()
    page_config = {
        "process": process.slug,
        "withMap": with_map,
        "urls": {
            "create": reverse("participation-proposals", kwargs={"slug": process.slug}),
            "similar": reverse("participation-similar", kwargs={"slug": process.slug}),
            "places": reverse("place-list"),
            "locate": reverse("locate"),
            "proposalPage": reverse("participation-page-proposal", kwargs={"proposal_id": 0}),
        },
        "geometryKinds": choice_labels(Proposal.GeometryKind),
    }
    return render(request, "participation/pages/propose.html" if with_map else "participation/pages/propose_text.html", {
        "process": process,
        "display_title": localized(process, "title"),
        "categories": _choices(categories),
        "districts": _choices(selectors.districts()),
        "open": selectors.phase_open(process, Phase.Kind.PROPOSALS),
        "with_map": with_map,
        "page_config": page_config,
    })


@require_GET
def propose(request, slug: str):
    """/participation/<slug>/propose/ : the proposal form with a map to draw its place (a point, a line or an area)."""
    return _proposal_form(request, slug, with_map=True)


@require_GET
def propose_without_map(request, slug: str):
    """/participation/<slug>/propose/text/ : the same form without a map: the place by address search or district."""
    return _proposal_form(request, slug, with_map=False)


@require_GET
def proposal_page(request, proposal_id: int):
    """/participation/proposals/<id>/ : a proposal: text, place and districts, supports, threaded comments,
    co-authors, the city's answers, its state history and the open reports near it."""
    found = selectors.proposal_for_page(proposal_id)
    if found is None:
        raise Http404(f"no public proposal {proposal_id}")
    proposal = found.proposal
    process = proposal.process
    process.now = current_phase(process)
    page_config = {
        "proposal": proposal.pk,
        "geometry": proposal.geom.json if proposal.geom and not proposal.hidden_at else None,
        "nearby": [{"id": i["id"], "lat": i["lat"], "lon": i["lon"], "category": localized(i, "category")}
                   for i in found.nearby_reports],
        "urls": {
            "supports": reverse("participation-support", kwargs={"proposal_id": proposal.pk}),
            "comments": reverse("participation-comments", kwargs={"proposal_id": proposal.pk}),
            "issuePage": reverse("issue-page", kwargs={"issue_id": 0}),
            "hazardZones": reverse("ogc-items", kwargs={"collection_id": "hazard-zones"}),
        },
    }
    return render(request, "participation/pages/proposal.html", {
        "found": found,
        "proposal": proposal,
        "process": process,
        "process_title": localized(process, "title"),
        "state_label": proposal.get_state_display(),
        "state_labels": choice_labels(Proposal.State),
        "geometry_label": Proposal.GeometryKind(proposal.geometry_kind).label,
        "category_name": localized(proposal.category, "name") if proposal.category else "",
        "district_names": [(localized(s.district, "name"), round(s.share * 100)) for s in found.districts],
        "hazards": [{"title": localized(z.layer, "title"), "kind": z.layer.kind, "level": z.level,
                     "level_label": z.get_level_display()} for z in found.hazard_zones],
        "supporting": selectors.phase_open(process, Phase.Kind.SUPPORTS),
        "supported": proposal.pk in supported_ids(request.user, [proposal.pk]),
        "follow": follow_form(request, "proposal", proposal.pk, selectors.follow_of(request.user, proposal=proposal)),
        "may_edit": request.user.is_authenticated and selectors.may_edit(proposal, request.user),
        "page_config": page_config,
    })


@require_GET
def ballot_page(request, slug: str, budget_id: int):
    """/participation/<slug>/ballot/<budget>/ : the ballot: projects with their costs, the running total against
    the budget (knapsack) or the number allowed (approval), and the vote."""
    process = _process_or_404(slug)
    budget = selectors.budget_for_ballot(process, budget_id)
    if budget is None:
        raise Http404(f"no budget {budget_id} in {slug}")
    mine = set(ballot_of(budget=budget, user=request.user) or []) if request.user.is_authenticated else set()
    projects = [{"project": p, "title": localized(p, "title"), "chosen": p.pk in mine}
                for p in budget.projects.all()]
    return render(request, "participation/pages/ballot.html", {
        "process": process,
        "process_title": localized(process, "title"),
        "budget": budget,
        "budget_title": localized(budget, "title"),
        "knapsack": budget.rule == Budget.Rule.KNAPSACK,
        "projects": projects,
        "voted": bool(mine) or ballot_cast_by(budget=budget, user=request.user),
        "voting": selectors.phase_open(process, Phase.Kind.VOTING),
        "page_config": {
            "ballot": {"style": budget.rule, "budget": budget.amount, "maxChoices": budget.max_projects,
                       "minimumShare": budget.minimum_share},
            "urls": {"vote": reverse("participation-ballot", kwargs={"budget_id": budget.pk})},
        },
    })


@require_GET
def results_page(request, slug: str):
    """/participation/<slug>/results/ : each budget's projects ranked by votes (the selected ones marked), the map of
    the selected projects, and participation per 1,000 residents by district as a choropleth."""
    process = _process_or_404(slug)
    voting = next((p for p in process.phases.all() if p.kind == Phase.Kind.VOTING), None)
    if voting is not None and timezone.now() < voting.ends_at:  # as the API: no running tally while people vote
        return render(request, "participation/pages/results.html", {
            "process": process, "process_title": localized(process, "title"), "voting_ends": voting.ends_at})
    budgets = []
    for budget in process.budgets.all():
        ballots_counted(budget=budget)
        results = budget_results(budget)
        budgets.append({"budget": budget, "title": localized(budget, "title"),
                        "ballots": results.ballots, "spent": results.spent,
                        "rows": [{"row": r, "title": localized(r, "title")} for r in results.rows]})
    return render(request, "participation/pages/results.html", {
        "process": process,
        "process_title": localized(process, "title"),
        "budgets": budgets,
        "page_config": {
            "process": process.slug,
            "urls": {
                "projects": reverse("ogc-items", kwargs={"collection_id": "participation-projects"}),
                "figures": reverse("participation-figures") + "?by=district",
                "districts": reverse("ogc-items", kwargs={"collection_id": "districts"}) + "?limit=100",
            },
        },
    })
