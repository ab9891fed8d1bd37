"""One issue for staff (with its history and version as the ETag) and the workflow actions on it, with If-Match."""
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from django.utils.translation import gettext as _
from rest_framework.exceptions import APIException, PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api_errors import ErrorSerializer
from core.errors import ServiceError
from core.parsers import PARSERS
from core.bodies import validated
from issues import permissions
from issues.models import Department, Issue
from issues.serializers import IssueActionInputSerializer
from core.photos import process_photo
from issues.services.lifecycle import ACTIONS, issue_mark_duplicate, issue_note, issue_reassign, issue_transition

from .representations import issue_feature, iso


class PreconditionRequired(APIException):
    status_code = 428
    default_detail = 'If-Match is required: send the ETag from GET /api/issues/{id} (e.g. "v3"), or a version field'


class IssueDetail(APIView):
    """One issue with its full history, for staff and planners; the ETag is its version, for If-Match."""

    permission_classes = [IsAuthenticated]

    @extend_schema(tags=["workspace"], responses={200: OpenApiTypes.OBJECT})
    def get(self, request, issue_id):
        issue = get_object_or_404(Issue.objects.select_related("category", "district", "department"), pk=issue_id)
        if not permissions.can_read_issue(request.user, issue):
            raise PermissionDenied(f"issue {issue.pk} belongs to {issue.department.slug}, and you are not a member")
        feature = issue_feature(issue, permissions.can_see_reporter(request.user, issue), False)
        feature["properties"]["history"] = [
            {"at": iso(u.created_at), "kind": u.kind, "actor": u.actor, "from_status": u.from_status,
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
        request=IssueActionInputSerializer,
        responses={200: OpenApiTypes.OBJECT, 400: ErrorSerializer, 403: ErrorSerializer,
                   409: OpenApiResponse(ErrorSerializer, "code stale_version (with the current `version`) or "
                                                         "transition_not_allowed (with the `allowed` actions)"),
                   428: ErrorSerializer},
        description="Actions: acknowledge, start, resolve (note, photo), close (reason), reopen, "
                    "reassign (department, reason; managers), duplicate (duplicate_of), public_update (note), internal_note (note).",
    )
    def post(self, request, issue_id, action):
        if action not in ACTIONS:
            raise ServiceError(_("unknown action %(action)r; one of %(actions)s") % {"action": action[:30], "actions": ", ".join(ACTIONS)},
                               code="unknown_action")
        issue = get_object_or_404(Issue.objects.select_related("department"), pk=issue_id)
        allowed = permissions.can_reassign(request.user, issue) if action == "reassign" else permissions.can_act(request.user, issue)
        if not allowed:
            who = "a manager of" if action == "reassign" else "a member of"
            raise PermissionDenied(f"only {who} {issue.department.slug} may {action.replace('_', ' ')} this issue")
        data = validated(IssueActionInputSerializer(data=request.data))
        version = self._version(request, data["version"])
        note = data["note"]
        actor = f"{request.user.get_username()}"
        if ACTIONS[action] is not None:
            photo = process_photo(data["photo"], parameter="photo") \
                if action == "resolve" and data.get("photo") is not None else None
            issue_transition(issue=issue, to_status=ACTIONS[action], actor=actor, user=request.user, note=note,
                             public=data["public"], close_reason=data["reason"] if action == "close" else "",
                             expected_version=version, photo=photo)
        elif action == "reassign":
            target = Department.objects.filter(slug=data["department"]).first()
            if target is None:
                raise ServiceError(_("no department %(slug)r") % {"slug": data["department"][:40]},
                                   parameter="department", code="not_found")
            issue_reassign(issue=issue, department=target, reason=data["reason"], actor=actor,
                           user=request.user, expected_version=version)
        elif action == "duplicate":
            original = Issue.objects.filter(pk=data.get("duplicate_of") or 0).first()
            if original is None:
                raise ServiceError(_("the id of an existing issue is required"), parameter="duplicate_of", code="required")
            issue_mark_duplicate(issue=issue, original=original, actor=actor, user=request.user, note=note,
                                 expected_version=version)
        else:
            issue_note(issue=issue, text=note, public=action == "public_update", actor=actor, user=request.user,
                       expected_version=version)
        issue.refresh_from_db()
        response = Response(issue_feature(issue, permissions.can_see_reporter(request.user, issue), False))
        response["ETag"] = f'"v{issue.version}"'
        return response

    def _version(self, request, body_version: str) -> int:
        raw = request.headers.get("If-Match", "").strip().strip('"')
        if raw.startswith("W/"):
            raw = raw[2:].strip('"')
        raw = raw[1:] if raw.startswith("v") else raw
        raw = raw or body_version.strip()
        if not raw:
            raise PreconditionRequired()
        if not raw.isdigit():
            raise ServiceError(_('expected a version such as "v3", got %(value)r') % {"value": raw[:20]}, parameter="If-Match")
        return int(raw)

