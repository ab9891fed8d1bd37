"""Citizens' pages: the map of reports with the report form, the same form without a map, and a report's page.

The pages send nothing themselves: their scripts post to Open311 (/open311/v2/requests.json) and to the
supports and comments API with the page's CSRF token, as any other client does.
"""
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from core.i18n import choice_labels, localized, page_language
from issues.serializers import CategorySerializer
from issues.models import Issue, IssueUpdate
from issues.selectors import categories_grouped, public_history, public_issue


def _category_groups() -> list[dict]:
    """Categories grouped and sorted by their names in the page's language, for the form's <select>."""
    categories = CategorySerializer(categories_grouped(), many=True).data
    categories = sorted(categories, key=lambda c: (localized(c, "group").casefold(), localized(c, "name").casefold()))
    groups: dict[str, list] = {}
    for category in categories:
        groups.setdefault(localized(category, "group"), []).append(category)
    return [{"name": name, "categories": members} for name, members in groups.items()]


def _report_page(request, template: str, *, with_map: bool):
    groups = _category_groups()
    page_config = {
        "withMap": with_map,
        "statusLabels": choice_labels(Issue.Status),
        "categories": [c for group in groups for c in group["categories"]],
        "urls": {
            "report": reverse("open311-requests", kwargs={"format": "json"}) + f"?lang={page_language()}",
            "issues": reverse("open311-requests", kwargs={"format": "json"}),
            "nearby": reverse("issue-nearby"),
            "supports": reverse("issue-supports", kwargs={"issue_id": 0}),
            "issuePage": reverse("issue-page", kwargs={"issue_id": 0}),
            "places": reverse("place-list"),
            "locate": reverse("locate"),
            "heritage": reverse("ogc-items", kwargs={"collection_id": "heritage-sites"}),
            "servicePoints": reverse("ogc-items", kwargs={"collection_id": "service-points"}),
            "districts": reverse("district-list"),
        },
    }
    return render(request, template, {"category_groups": groups, "page_config": page_config})


@require_GET
def citizen_map(request):
    """/ : the public reports on a map (clustered), districts, heritage and service layers, and the report form."""
    return _report_page(request, "issues/pages/citizen_map.html", with_map=True)


@require_GET
def report_without_map(request):
    """/report/ : the report form alone: the place by address or landmark search, or the device's location."""
    return _report_page(request, "issues/pages/report.html", with_map=False)


@require_GET
def issue_page(request, issue_id: int):
    """/issues/<id>/ : a report's status timeline, public updates, comments, photos, place on the map and supports."""
    issue = public_issue(issue_id)
    if issue is None:
        raise Http404(f"no report {issue_id}")
    history = public_history(issue)
    comments = [u for u in history if u.kind == IssueUpdate.Kind.COMMENT]
    timeline = [u for u in history if u.kind != IssueUpdate.Kind.COMMENT]
    page_config = {
        "issue": issue.pk,
        "location": [issue.location.y, issue.location.x],
        "open": issue.is_open,
        "statusLabels": choice_labels(Issue.Status),
        "urls": {
            "supports": reverse("issue-supports", kwargs={"issue_id": issue.pk}),
            "comments": reverse("issue-comments", kwargs={"issue_id": issue.pk}),
        },
    }
    return render(request, "issues/pages/issue.html", {
        "issue": issue, "timeline": timeline, "comments": comments, "page_config": page_config,
        "photos": [u for u in history if u.photo],
        "status_open": Issue.OPEN_STATUSES,
    })
