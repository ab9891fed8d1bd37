"""Reads: routing rules, categories, public reports and their updates."""
from django.db.models import Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from layers.models import District
from core.sql_files import fetch_all

from .models import Category, Issue, IssueUpdate, RoutingRule, Support


def routing_rule_for(*, category: Category | None, district: District | None) -> RoutingRule | None:
    """The most specific rule: category in district, then category anywhere, then the fallback."""
    scopes = Q(category__isnull=True, district__isnull=True)
    if category is not None:
        scopes |= Q(category=category, district__isnull=True)
        if district is not None:
            scopes |= Q(category=category, district=district)
    return (
        RoutingRule.objects.filter(scopes)
        .select_related("department", "category", "district")
        .order_by(F("category").asc(nulls_last=True), F("district").asc(nulls_last=True))
        .first()
    )


def categories_grouped():
    """Active categories in group order, for the services list and the report form."""
    return Category.objects.filter(active=True).order_by("group_en", "name_en")


def _counted(model, **conditions):
    """The number of `model` rows of each report, as a subquery of the report's own row: PostgreSQL works it out
    for the reports of the page only (after ORDER BY and LIMIT), not for every report the filters match, as a
    join and GROUP BY would (a queue of a million reports: 15 s before, milliseconds now)."""
    counted = (model.objects.filter(issue=OuterRef("pk"), **conditions).order_by().values("issue")
               .annotate(n=Count("*")).values("n"))
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def with_counts(rows):
    """Reports with their number of supports and of comments (support_count, comment_count)."""
    return rows.annotate(support_count=_counted(Support),
                         comment_count=_counted(IssueUpdate, kind=IssueUpdate.Kind.COMMENT))


def public_issues():
    """Reports as the public sees them, with what their representation needs in the same query."""
    return with_counts(Issue.objects.select_related("category", "department", "district")).order_by("-created_at", "-id")


def public_issue(issue_id: int) -> Issue | None:
    """One report as the public sees it (with its support and comment counts), or None."""
    return public_issues().filter(pk=issue_id).first()


def public_history(issue: Issue) -> list[IssueUpdate]:
    """The public entries of a report's history, oldest first: status changes, public notes and comments."""
    return list(issue.updates.filter(public=True).order_by("created_at", "id"))


def duplicates_of_issues(ids: list[int]) -> dict[int, list[int]]:
    """Possible duplicates of several reports in one query: {issue id: [other ids, nearest first]}."""
    if not ids:
        return {}
    # At Thessaloniki's latitude a degree of longitude is about 84 km; 1/50000 per metre pads the box safely.
    rows = fetch_all("issues", "duplicates_of_issues", {"ids": list(ids), "degrees_per_metre": 1 / 50000,
                                                          "open_statuses": list(Issue.OPEN_STATUSES)})
    return {row["issue_id"]: row["duplicate_ids"] for row in rows}


def public_updates():
    """Public history entries (status changes and comments) for the updates feed."""
    return IssueUpdate.objects.filter(public=True).select_related("issue").order_by("id")


QUEUE_SORTS = {
    "priority": ("-priority", "created_at"),
    "-priority": ("priority", "-created_at"),
    "age": ("created_at", "id"),
    "-age": ("-created_at", "-id"),
}


def department_queue(*, issues: QuerySet[Issue], statuses: list[str]) -> tuple[QuerySet[Issue], dict[str, int]]:
    """A department's reports, already filtered by every filter but the status (issues.filters.DepartmentQueueFilter
    and the bbox), in the chosen statuses (all when none is chosen); the counts per status are taken before the
    status filter."""
    counts = dict(issues.values_list("status").annotate(n=Count("id")).order_by())
    rows = issues.filter(status__in=statuses) if statuses else issues
    rows = with_counts(rows.select_related("category", "district", "department"))
    return rows, {status: counts.get(status, 0) for status in Issue.Status.values}


def reports_at_place(*, service_codes: list[str], place, within_m: float,
                     attribute: tuple[str, str] | None = None) -> QuerySet[Issue]:
    """The reports of these categories inside a place or within `within_m` metres of it, or (with `attribute`, a
    field code and a value) whose field names it; newest first. For other apps that attach reports to their own
    places (a monument's condition reports) without the reports knowing of them."""
    ids = [row["id"] for row in fetch_all("issues", "reports_near_place", {
        "service_codes": list(service_codes), "place": bytes(place.ewkb), "within_m": float(within_m)})]
    named = Q(category__service_code__in=service_codes, **{f"attributes__{attribute[0]}": attribute[1]}) if attribute else Q(pk__in=[])
    return (Issue.objects.filter(Q(pk__in=ids) | named).select_related("category", "department", "district")
            .order_by("-created_at", "-id"))
