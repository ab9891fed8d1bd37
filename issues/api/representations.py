"""Issues as the workspace API shows them: a GeoJSON feature with the staff's fields, the reporter's only to those
who may see them."""
from django.utils import timezone

from issues.models import Issue


def iso(moment):
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else None


def issue_feature(issue: Issue, show_reporter: bool, with_distance: bool) -> dict:
    now = timezone.now()
    properties = {
        "id": issue.pk,
        "service_code": issue.category.service_code,
        "category_el": issue.category.name_el,
        "category_en": issue.category.name_en,
        "status": issue.status,
        "close_reason": issue.close_reason,
        "priority": issue.priority,
        "priority_reason": issue.priority_reason,
        "district": issue.district.code if issue.district_id else None,
        "department": issue.department.slug,
        "description": issue.description,
        "address": issue.address,
        "created_at": iso(issue.created_at),
        "expected_at": iso(issue.expected_at),
        "age_days": round((now - issue.created_at).total_seconds() / 86400, 2),
        "overdue": bool(issue.expected_at and issue.is_open and issue.expected_at < now),
        "supports": getattr(issue, "support_count", None),
        "comments": getattr(issue, "comment_count", None),
        "routing_note": issue.routing_note,
        "version": issue.version,
    }
    if with_distance:
        properties["distance_m"] = round(issue.distance.m, 1)
    if show_reporter:
        properties["reporter"] = {"email": issue.email, "first_name": issue.first_name, "last_name": issue.last_name,
                                  "phone": issue.phone}
    return {"type": "Feature", "id": issue.pk,
            "geometry": {"type": "Point", "coordinates": [round(issue.location.x, 7), round(issue.location.y, 7)]},
            "properties": properties}

