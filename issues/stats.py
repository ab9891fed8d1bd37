"""The city's figures: roadmap KPIs, per-district figures for a choropleth, hotspots and a heat-map grid."""
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from layers.models import District
from core.replica import reading_alias
from core.sql_files import fetch_all, fetch_one

from .models import Category, Department, Issue

BACKLOG_BUCKETS = ["under_7_days", "7_to_30_days", "30_to_90_days", "over_90_days"]


@dataclass(frozen=True)
class StatsScope:
    start: datetime
    end: datetime
    department: Department | None = None
    district: District | None = None
    category: Category | None = None

    def params(self) -> dict:
        return {
            "start": self.start,
            "end": self.end,
            "department_id": self.department.pk if self.department else None,
            "district_id": self.district.pk if self.district else None,
            "category_id": self.category.pk if self.category else None,
            "open_statuses": list(Issue.OPEN_STATUSES),
        }


def kpis(scope: StatsScope, *, as_of: datetime | None = None) -> dict:
    """Issues posted per month, share solved, mean and median days to resolve, backlog by age, reopen rate,
    comments, supports and registered users, for reports posted in [start, end)."""
    as_of = as_of or min(scope.end, timezone.now())
    row = fetch_one("issues", "kpi_summary", {**scope.params(), "as_of": as_of}, using=reading_alias())
    months = fetch_all("issues", "kpi_months", scope.params(), using=reading_alias())
    # Citizens: accounts that are neither staff of the server nor of a department.
    users = get_user_model().objects.filter(is_staff=False, is_superuser=False, memberships__isnull=True)
    posted = row["posted"]
    return {
        "from": scope.start.isoformat(),
        "to": scope.end.isoformat(),
        "department": scope.department.slug if scope.department else None,
        "district": scope.district.code if scope.district else None,
        "category": scope.category.service_code if scope.category else None,
        "posted": posted,
        "solved": row["solved"],
        "share_solved": round(row["solved"] / posted, 4) if posted else None,
        "mean_days_to_resolve": _round(row["mean_days_to_resolve"]),
        "median_days_to_resolve": _round(row["median_days_to_resolve"]),
        "reopen_rate": round(row["reopened"] / row["ever_finished"], 4) if row["ever_finished"] else None,
        "backlog_by_age": {bucket: row[f"backlog_{bucket}"] for bucket in BACKLOG_BUCKETS},
        "comments": row["comments"],
        "supports": row["supports"],
        "registered_users": users.filter(date_joined__lt=scope.end).count(),
        "new_registered_users": users.filter(date_joined__gte=scope.start, date_joined__lt=scope.end).count(),
        "per_month": [{"month": m["month"], "posted": m["posted"], "solved": m["solved"]} for m in months],
    }


def kpis_by_district(scope: StatsScope) -> dict:
    return fetch_one("issues", "kpi_districts", scope.params(), using=reading_alias())["collection"]


def hotspots(*, eps_m: float, min_size: int, department: Department | None = None, category: Category | None = None) -> dict:
    params = {"eps_m": float(eps_m), "min_size": int(min_size), "department_id": department.pk if department else None,
              "category_id": category.pk if category else None, "open_statuses": list(Issue.OPEN_STATUSES)}
    return fetch_one("issues", "hotspots", params, using=reading_alias())["collection"]


def heatmap(*, cell_m: float, department: Department | None = None, category: Category | None = None) -> dict:
    params = {"cell_m": float(cell_m), "department_id": department.pk if department else None,
              "category_id": category.pk if category else None, "open_statuses": list(Issue.OPEN_STATUSES)}
    return fetch_one("issues", "heatmap", params, using=reading_alias())["collection"]


def _round(value) -> float | None:
    return None if value is None else round(float(value), 3)
