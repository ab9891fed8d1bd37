"""Possible duplicates: open reports of the same category nearby and recent; offered, never blocking."""
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.gis.geos import Point
from django.utils import timezone

from core.params import degrees_padding
from core.sql_files import fetch_all

from .models import Category, Issue


@dataclass(frozen=True)
class PossibleDuplicate:
    issue: Issue
    metres: float


def possible_duplicates(
    *,
    category: Category,
    point: Point,
    radius_m: float | None = None,
    days: int | None = None,
    exclude_id: int | None = None,
    limit: int = 10,
) -> list[PossibleDuplicate]:
    """Open reports of category within radius_m metres (default: the category's) reported in the last days."""
    radius_m = float(category.duplicate_radius_m if radius_m is None else radius_m)
    days = category.duplicate_window_days if days is None else days
    rows = fetch_all(
        "issues",
        "possible_duplicates",
        {
            "lon": point.x, "lat": point.y, "category_id": category.pk, "radius_m": radius_m,
            "pad_deg": degrees_padding(radius_m, point.y), "since": timezone.now() - timedelta(days=days),
            "exclude_id": exclude_id or 0, "limit": limit, "open_statuses": list(Issue.OPEN_STATUSES),
        },
    )
    issues = Issue.objects.select_related("category", "department", "district").in_bulk([r["issue_id"] for r in rows])
    return [PossibleDuplicate(issue=issues[r["issue_id"]], metres=r["metres"]) for r in rows]
