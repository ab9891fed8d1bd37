"""What each Open311 call answers, as plain dicts with the spec's field names (never the reporter's details)."""
from django.conf import settings
from django.utils import timezone

from issues.models import Category, Issue, IssueUpdate

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-11-24T00:00:00+02:00"

# Internal state → the extended statuses of FixMyStreet's update feed.
EXTENDED_STATUS = {
    "new": "OPEN",
    "acknowledged": "INVESTIGATING",
    "in_progress": "IN_PROGRESS",
    "resolved": "FIXED",
    "reopened": "REOPEN",
}
CLOSED_STATUS = {
    "duplicate": "DUPLICATE",
    "not_municipal_responsibility": "NOT_COUNCILS_RESPONSIBILITY",
    "no_further_action": "NO_FURTHER_ACTION",
    "": "CLOSED",
}


def iso(moment) -> str | None:
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else None


def localized(obj, field: str, lang: str) -> str:
    return getattr(obj, f"{field}_el" if lang == "el" else f"{field}_en") or getattr(obj, f"{field}_en")


def open311_status(status: str) -> str:
    return "open" if status in Issue.OPEN_STATUSES else "closed"


def extended_status(status: str, close_reason: str = "") -> str:
    if status == "closed":
        return CLOSED_STATUS.get(close_reason, "CLOSED")
    return EXTENDED_STATUS.get(status, status.upper())


def service(category: Category, lang: str) -> dict:
    return {
        "service_code": category.service_code,
        "service_name": localized(category, "name", lang),
        "description": localized(category, "description", lang),
        "metadata": bool(category.attributes),
        "type": "realtime",
        "keywords": ", ".join(category.keyword_list),
        "group": localized(category, "group", lang),
    }


def service_definition(category: Category) -> dict:
    attributes = []
    for order, attribute in enumerate(sorted(category.attributes, key=lambda a: a.get("order", 0)), start=1):
        entry = {
            "variable": attribute.get("variable", True),
            "code": attribute["code"],
            "datatype": attribute["datatype"],
            "required": bool(attribute.get("required", False)),
            "datatype_description": attribute.get("datatype_description", ""),
            "order": attribute.get("order", order),
            "description": attribute["description"],
        }
        if attribute.get("values"):
            entry["values"] = [{"key": v["key"], "name": v["name"]} for v in attribute["values"]]
        attributes.append(entry)
    return {"service_code": category.service_code, "attributes": attributes}


def media_url_of(issue: Issue, request) -> str:
    if issue.photo:
        return request.build_absolute_uri(issue.photo.url)
    return issue.media_url


def service_request(issue: Issue, request, lang: str, extensions: bool = False, duplicates=None) -> dict:
    data = {
        "service_request_id": str(issue.pk),
        "status": open311_status(issue.status),
        "status_notes": issue.status_notes,
        "service_name": localized(issue.category, "name", lang),
        "service_code": issue.category.service_code,
        "description": issue.description,
        "agency_responsible": localized(issue.department, "name", lang),
        "service_notice": "",
        "requested_datetime": iso(issue.created_at),
        "updated_datetime": iso(issue.updated_at),
        "expected_datetime": iso(issue.expected_at),
        "address": issue.address,
        "address_id": issue.address_id,
        "zipcode": issue.zipcode,
        "lat": round(issue.location.y, 7),
        "long": round(issue.location.x, 7),
        "media_url": media_url_of(issue, request),
    }
    if extensions:
        data["extended_attributes"] = {
            "internal_status": issue.status,
            "extended_status": extended_status(issue.status, issue.close_reason),
            "district": issue.district.code if issue.district_id else None,
            "district_name": localized(issue.district, "name", lang) if issue.district_id else None,
            "department": issue.department.slug,
            "priority": issue.priority,
            "priority_reason": issue.priority_reason,
            "supports": getattr(issue, "support_count", None),
            "comments": getattr(issue, "comment_count", None),
            "possible_duplicates": [str(i) for i in (duplicates or [])],
            "thumbnail_url": request.build_absolute_uri(issue.thumbnail.url) if issue.thumbnail else "",
        }
    return data


def service_request_update(update: IssueUpdate, request) -> dict:
    issue = update.issue
    return {
        "update_id": str(update.pk),
        "service_request_id": str(update.issue_id),
        "status": extended_status(update.to_status or issue.status, update.close_reason),
        "updated_datetime": iso(update.created_at),
        "description": update.description,
        "media_url": request.build_absolute_uri(update.photo.url) if update.photo else "",
        "kind": update.kind,
        "author": update.author_name if update.kind == IssueUpdate.Kind.COMMENT else "",
    }


def create_answer(result, lang: str) -> dict:
    issue = result.issue
    district = result.decision.district if result.decision else issue.district
    notice = (
        f"Routed to {issue.department.name_en}"
        + (f" ({district.name_en or district.name_el})" if district else "")
        + f"; expected by {timezone.localtime(issue.expected_at):%Y-%m-%d}."
    )
    if lang == "el":
        notice = (
            f"Διαβιβάστηκε στην υπηρεσία: {issue.department.name_el}"
            + (f" ({district.name_el})" if district else "")
            + f"· αναμενόμενη επίλυση έως {timezone.localtime(issue.expected_at):%d/%m/%Y}."
        )
    if result.possible_duplicates:
        notice += f" {len(result.possible_duplicates)} similar open report(s) nearby: see possible_duplicates."
    return {
        "service_request_id": str(issue.pk),
        "token": str(issue.token),
        "service_notice": notice,
        "account_id": issue.account_id or None,
        "possible_duplicates": [
            {"service_request_id": str(d.issue.pk), "distance_m": round(d.metres, 1), "status": open311_status(d.issue.status),
             "requested_datetime": iso(d.issue.created_at)}
            for d in result.possible_duplicates
        ],
    }


def discovery(request) -> dict:
    base = request.build_absolute_uri("/open311/v2/")
    return {
        "changeset": CHANGESET,
        "contact": settings.OPEN311_CONTACT,
        "key_service": settings.OPEN311_KEY_SERVICE,
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": base,
                "changeset": CHANGESET,
                "type": "production",
                "formats": ["application/json", "text/xml"],
            }
        ],
        "extensions": {
            "paging": "GET requests: page (from 1) and page_size (1 to 1000, default 1000)",
            "bbox": "GET requests: bbox=min_long,min_lat,max_long,max_lat (WGS84)",
            "radius": "GET requests: lat, long and radius (metres, at most 10000, default 500)",
            "extensions": "GET requests: extensions=true adds extended_attributes (district, department, priority, supports, comments, possible_duplicates)",
            "updates": "GET servicerequestupdates.{json,xml}: public status changes and comments (start_date, end_date, service_request_id, page, page_size)",
            "media": "POST requests: multipart field media, a JPEG, PNG or WebP photo up to 10 MB; EXIF removed",
            "address": "POST requests: address_string is looked up in the city's gazetteer (Greek or Latin script)",
            "idempotency": "POST requests: an Idempotency-Key header makes a retry return the first answer",
            "language": "lang=el or lang=en (default from Accept-Language, else Greek)",
        },
    }
