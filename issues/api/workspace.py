"""Department workspace API: the queue on a map, one issue with its history, workflow actions, figures."""
import csv
import io
from datetime import timedelta

from django.contrib.gis.db.models.functions import Distance
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import APIException, PermissionDenied, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from issues import permissions, stats
from issues.models import Category, Department, Issue
from issues.photos import PhotoError, process_photo
from issues.selectors import QUEUE_SORTS, department_queue
from issues.services import (
    StaleVersion, TransitionNotAllowed, issue_mark_duplicate, issue_note, issue_reassign, issue_transition,
)
from core.parsers import PARSERS
from core.params import (
    ParameterError, parse_bbox, parse_coordinate, parse_datetime, parse_int, point_from_params,
)
from layers.models import District

MAX_PAGE_SIZE = 500


class PreconditionRequired(APIException):
    status_code = 428
    default_detail = 'If-Match is required: send the ETag from GET /api/issues/{id} (e.g. "v3"), or a version field'

# action → (target state or None, what the body needs)
ACTIONS = {
    "acknowledge": "acknowledged",
    "start": "in_progress",
    "resolve": "resolved",
    "close": "closed",
    "reopen": "reopened",
    "reassign": None,
    "duplicate": None,
    "public_update": None,
    "internal_note": None,
}


def _iso(moment):
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else None


def _feature(issue: Issue, show_reporter: bool, with_distance: bool) -> dict:
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
        "created_at": _iso(issue.created_at),
        "expected_at": _iso(issue.expected_at),
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


def _csv_list(params, name):
    raw = params.get(name, "")
    return [item.strip() for item in raw.split(",") if item.strip()]


def _datetime(params, name):
    raw = params.get(name)
    if not raw:
        return None
    try:
        return parse_datetime(raw, parameter=name)
    except ParameterError as exc:
        raise ValidationError({"detail": str(exc)}) from None


def _int(params, name, default, low, high):
    raw = params.get(name)
    if raw in (None, ""):
        return default
    try:
        return parse_int(raw, parameter=name, low=low, high=high)
    except ParameterError as exc:
        raise ValidationError({"detail": str(exc)}) from None


def _bbox(params):
    raw = params.get("bbox")
    if not raw:
        return None
    try:
        return parse_bbox(raw)
    except ParameterError as exc:
        raise ValidationError({"detail": str(exc)}) from None


class DepartmentQueue(APIView):
    """A department's issues as GeoJSON, with filters, sorting, paging and counts per status."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=["workspace"],
        parameters=[
            OpenApiParameter("status", str, description="comma-separated: new, acknowledged, in_progress, resolved, closed, reopened"),
            OpenApiParameter("category", str, description="comma-separated service codes"),
            OpenApiParameter("district", str, description="comma-separated district codes"),
            OpenApiParameter("bbox", str), OpenApiParameter("created_from", OpenApiTypes.DATETIME),
            OpenApiParameter("created_to", OpenApiTypes.DATETIME), OpenApiParameter("priority", str),
            OpenApiParameter("q", str, description="text in description, address or routing note"),
            OpenApiParameter("sort", str, enum=["priority", "-priority", "age", "-age", "distance"],
                             description="priority: most urgent first (default); age: oldest first; distance: nearest to lat/long"),
            OpenApiParameter("lat", float), OpenApiParameter("long", float),
            OpenApiParameter("page", int), OpenApiParameter("page_size", int),
        ],
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request, slug):
        department = get_object_or_404(Department, slug=slug)
        if not permissions.can_read_queue(request.user, department):
            raise PermissionDenied(f"you are not a member of {department.slug}")
        params = request.query_params
        statuses = _csv_list(params, "status")
        bad = [s for s in statuses if s not in Issue.Status.values]
        if bad:
            raise ValidationError({"detail": f"status: unknown status {bad[0]!r}; one of {', '.join(Issue.Status.values)}"})
        priorities = _csv_list(params, "priority")
        if any(p not in {"1", "2", "3", "4"} for p in priorities):
            raise ValidationError({"detail": "priority: comma-separated numbers from 1 (low) to 4 (urgent)"})
        sort = params.get("sort", "priority")
        if sort not in QUEUE_SORTS and sort != "distance":
            raise ValidationError({"detail": f"sort: one of priority, -priority, age, -age, distance; got {sort[:20]!r}"})
        page = _int(params, "page", 1, 1, 1_000_000)
        page_size = _int(params, "page_size", 50, 1, MAX_PAGE_SIZE)
        rows, counts = department_queue(
            department=department, statuses=statuses, categories=_csv_list(params, "category"),
            districts=_csv_list(params, "district"), bbox=_bbox(params), created_from=_datetime(params, "created_from"),
            created_to=_datetime(params, "created_to"), priorities=[int(p) for p in priorities], text=params.get("q", "").strip(),
        )
        if sort == "distance":
            try:
                point = point_from_params(params, lon_names=("long", "lon"))
            except ParameterError as exc:
                raise ValidationError({"detail": f"sort=distance needs lat and long: {exc}"}) from None
            rows = rows.annotate(distance=Distance("location", point)).order_by("distance", "id")
        else:
            rows = rows.order_by(*QUEUE_SORTS[sort])
        matched = rows.count()
        show_reporter = permissions.can_act_in(request.user, department)
        page_rows = list(rows[(page - 1) * page_size: page * page_size])
        return Response({
            "type": "FeatureCollection",
            "department": department.slug,
            "numberMatched": matched,
            "numberReturned": len(page_rows),
            "page": page,
            "page_size": page_size,
            "counts": counts,
            "features": [_feature(i, show_reporter, sort == "distance") for i in page_rows],
        })


class IssueDetail(APIView):
    """One issue with its full history, for staff and planners; the ETag is its version, for If-Match."""

    permission_classes = [IsAuthenticated]

    @extend_schema(tags=["workspace"], responses={200: OpenApiTypes.OBJECT})
    def get(self, request, issue_id):
        issue = get_object_or_404(Issue.objects.select_related("category", "district", "department"), pk=issue_id)
        if not permissions.can_read_issue(request.user, issue):
            raise PermissionDenied(f"issue {issue.pk} belongs to {issue.department.slug}, and you are not a member")
        feature = _feature(issue, permissions.can_see_reporter(request.user, issue), False)
        feature["properties"]["history"] = [
            {"at": _iso(u.created_at), "kind": u.kind, "actor": u.actor, "from_status": u.from_status,
             "to_status": u.to_status, "close_reason": u.close_reason, "public": u.public, "note": u.description,
             "changes": u.changes}
            for u in issue.updates.order_by("id")
        ]
        response = Response(feature)
        response["ETag"] = f'"v{issue.version}"'
        return response


class IssueAction(APIView):
    """A workflow action on an issue; needs If-Match with the issue's ETag (or a version field)."""

    permission_classes = [IsAuthenticated]
    parser_classes = PARSERS

    @extend_schema(
        tags=["workspace"],
        parameters=[OpenApiParameter("If-Match", str, OpenApiParameter.HEADER, description='the ETag from GET, e.g. "v3"')],
        request={"application/json": OpenApiTypes.OBJECT, "multipart/form-data": OpenApiTypes.OBJECT},
        responses={200: OpenApiTypes.OBJECT, 409: OpenApiTypes.OBJECT, 428: OpenApiTypes.OBJECT},
        description="Actions: acknowledge, start, resolve (note, photo), close (reason), reopen, "
                    "reassign (department, reason; managers), duplicate (duplicate_of), public_update (note), internal_note (note).",
    )
    def post(self, request, issue_id, action):
        if action not in ACTIONS:
            raise ValidationError({"detail": f"unknown action {action[:30]!r}; one of {', '.join(ACTIONS)}"})
        issue = get_object_or_404(Issue.objects.select_related("department"), pk=issue_id)
        allowed = permissions.can_reassign(request.user, issue) if action == "reassign" else permissions.can_act(request.user, issue)
        if not allowed:
            who = "a manager of" if action == "reassign" else "a member of"
            raise PermissionDenied(f"only {who} {issue.department.slug} may {action.replace('_', ' ')} this issue")
        version = self._version(request)
        data = request.data
        note = str(data.get("note", ""))
        actor = f"{request.user.get_username()}"
        try:
            if ACTIONS[action] is not None:
                photo = None
                if action == "resolve" and request.FILES.get("photo") is not None:
                    try:
                        photo = process_photo(request.FILES["photo"])
                    except PhotoError as exc:
                        raise ValidationError({"detail": f"photo: {exc}"}) from None
                issue_transition(issue=issue, to_status=ACTIONS[action], actor=actor, user=request.user, note=note,
                                 public=_flag(data.get("public", True)), close_reason=str(data.get("reason", "")) if action == "close" else "",
                                 expected_version=version, photo=photo)
            elif action == "reassign":
                target = Department.objects.filter(slug=str(data.get("department", ""))).first()
                if target is None:
                    raise ValidationError({"detail": f"department: no department {str(data.get('department', ''))[:40]!r}"})
                issue_reassign(issue=issue, department=target, reason=str(data.get("reason", "")), actor=actor,
                               user=request.user, expected_version=version)
            elif action == "duplicate":
                original = Issue.objects.filter(pk=_int(data, "duplicate_of", None, 1, 2**62) or 0).first()
                if original is None:
                    raise ValidationError({"detail": "duplicate_of: the id of an existing issue is required"})
                issue_mark_duplicate(issue=issue, original=original, actor=actor, user=request.user, note=note,
                                     expected_version=version)
            else:
                issue_note(issue=issue, text=note, public=action == "public_update", actor=actor, user=request.user,
                           expected_version=version)
        except TransitionNotAllowed as exc:
            return Response({"detail": str(exc), "allowed": [_action_for(s) for s in exc.allowed]}, status=status.HTTP_409_CONFLICT)
        except StaleVersion as exc:
            return Response({"detail": str(exc), "version": exc.current}, status=status.HTTP_409_CONFLICT)
        except ValueError as exc:
            raise ValidationError({"detail": str(exc)}) from None
        issue.refresh_from_db()
        response = Response(_feature(issue, permissions.can_see_reporter(request.user, issue), False))
        response["ETag"] = f'"v{issue.version}"'
        return response

    def _version(self, request) -> int:
        raw = request.headers.get("If-Match", "").strip().strip('"')
        if raw.startswith("W/"):
            raw = raw[2:].strip('"')
        raw = raw[1:] if raw.startswith("v") else raw
        raw = raw or str(request.data.get("version", ""))
        if not raw:
            raise PreconditionRequired()
        if not raw.isdigit():
            raise ValidationError({"detail": f"If-Match/version: expected a version such as \"v3\", got {raw[:20]!r}"})
        return int(raw)


def _action_for(state: str) -> str:
    return {v: k for k, v in ACTIONS.items() if v}.get(state, state)


def _flag(value) -> bool:
    return str(value).strip().lower() not in ("false", "0", "no", "off")


class CSVRenderer(BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        out = io.StringIO()
        writer = csv.writer(out)
        if isinstance(data, dict) and "detail" in data:
            writer.writerow(["error", data["detail"]])
            return out.getvalue().encode("utf-8")
        writer.writerow(["metric", "value"])
        for key, value in data.items():
            if key == "backlog_by_age":
                for bucket, n in value.items():
                    writer.writerow([f"backlog_{bucket}", n])
            elif key == "per_month":
                for month in value:
                    writer.writerow([f"posted_{month['month']}", month["posted"]])
                    writer.writerow([f"solved_{month['month']}", month["solved"]])
            else:
                writer.writerow([key, "" if value is None else value])
        return out.getvalue().encode("utf-8")


def _stats_scope(request) -> stats.StatsScope:
    return stats_scope(request.user, request.query_params)


def stats_scope(user, params) -> stats.StatsScope:
    """The figures' scope from from, to, department, district and category; ValidationError (400) for a bad
    parameter, PermissionDenied (403) when this user may not see those figures."""
    end = _datetime(params, "to") or timezone.now()
    start = _datetime(params, "from") or end - timedelta(days=365)
    if end <= start:
        raise ValidationError({"detail": "to: must be after from"})
    department = _lookup(Department, "slug", params.get("department"), "department")
    allowed, department = permissions.kpi_scope(user, department)
    if not allowed:
        raise PermissionDenied("the figures are for administrators, civil-protection planners and a department's managers "
                               "(give department= when you manage several)")
    return stats.StatsScope(start=start, end=end, department=department,
                            district=_lookup(District, "code", params.get("district"), "district"),
                            category=_lookup(Category, "service_code", params.get("category"), "category"))


def _lookup(model, field, value, name):
    if not value:
        return None
    found = model.objects.filter(**{field: value}).first()
    if found is None:
        raise ValidationError({"detail": f"{name}: no {name} {value[:40]!r}"})
    return found


STATS_PARAMETERS = [
    OpenApiParameter("from", OpenApiTypes.DATETIME, description="default: a year before to"),
    OpenApiParameter("to", OpenApiTypes.DATETIME, description="default: now"),
    OpenApiParameter("department", str), OpenApiParameter("district", str), OpenApiParameter("category", str),
]


class KPIs(APIView):
    """The roadmap's figures; ?format=csv for a spreadsheet."""

    permission_classes = [IsAuthenticated]
    renderer_classes = [JSONRenderer, CSVRenderer]

    @extend_schema(tags=["stats"], parameters=STATS_PARAMETERS, responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        response = Response(stats.kpis(_stats_scope(request)))
        if request.accepted_renderer.format == "csv":
            response["Content-Disposition"] = 'attachment; filename="kpis.csv"'
        return response


class DistrictKPIs(APIView):
    """Per-district figures as GeoJSON, ready for a choropleth."""

    permission_classes = [IsAuthenticated]

    @extend_schema(tags=["stats"], parameters=STATS_PARAMETERS, responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        return Response(stats.kpis_by_district(_stats_scope(request)))


class Hotspots(APIView):
    """Clusters of open issues (ST_ClusterDBSCAN, eps in metres) as GeoJSON hulls."""

    permission_classes = [IsAuthenticated]

    @extend_schema(tags=["stats"], parameters=[
        OpenApiParameter("eps_m", float, description="neighbour distance in metres (default 100, 1 to 5000)"),
        OpenApiParameter("min_size", int, description="reports in a cluster at least (default 3)"),
        OpenApiParameter("department", str), OpenApiParameter("category", str)], responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        params = request.query_params
        scope = _hotspot_scope(request)
        try:
            eps = parse_coordinate(params.get("eps_m", "100"), parameter="eps_m", low=1, high=5000)
        except ParameterError as exc:
            raise ValidationError({"detail": str(exc)}) from None
        min_size = _int(params, "min_size", 3, 1, 10000)
        return Response(stats.hotspots(eps_m=eps, min_size=min_size, **scope))


class Heatmap(APIView):
    """Open issues counted on a square grid (metres), as GeoJSON cells."""

    permission_classes = [IsAuthenticated]

    @extend_schema(tags=["stats"], parameters=[
        OpenApiParameter("cell_m", float, description="cell size in metres (default 250, 25 to 5000)"),
        OpenApiParameter("department", str), OpenApiParameter("category", str)], responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        scope = _hotspot_scope(request)
        try:
            cell = parse_coordinate(request.query_params.get("cell_m", "250"), parameter="cell_m", low=25, high=5000)
        except ParameterError as exc:
            raise ValidationError({"detail": str(exc)}) from None
        return Response(stats.heatmap(cell_m=cell, **scope))


def _hotspot_scope(request) -> dict:
    params = request.query_params
    department = _lookup(Department, "slug", params.get("department"), "department")
    allowed, department = permissions.kpi_scope(request.user, department)
    if not allowed:
        raise PermissionDenied("hotspots are for administrators, civil-protection planners and a department's managers")
    return {"department": department, "category": _lookup(Category, "service_code", params.get("category"), "category")}
