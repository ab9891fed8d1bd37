"""One issue for staff (with its history and version as the ETag) and the workflow actions on it, with If-Match."""
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import APIException, PermissionDenied, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from core.parsers import PARSERS
from core.params import flag, optional_int
from issues import permissions
from issues.models import Department, Issue
from core.photos import PhotoError, process_photo
from issues.services.lifecycle import (
    ACTIONS, StaleVersion, TransitionNotAllowed, action_for, issue_mark_duplicate, issue_note, issue_reassign, issue_transition,
)

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
                                 public=flag(data, "public", default=True), close_reason=str(data.get("reason", "")) if action == "close" else "",
                                 expected_version=version, photo=photo)
            elif action == "reassign":
                target = Department.objects.filter(slug=str(data.get("department", ""))).first()
                if target is None:
                    raise ValidationError({"detail": f"department: no department {str(data.get('department', ''))[:40]!r}"})
                issue_reassign(issue=issue, department=target, reason=str(data.get("reason", "")), actor=actor,
                               user=request.user, expected_version=version)
            elif action == "duplicate":
                original = Issue.objects.filter(pk=optional_int(data, "duplicate_of", None, low=1, high=2**62) or 0).first()
                if original is None:
                    raise ValidationError({"detail": "duplicate_of: the id of an existing issue is required"})
                issue_mark_duplicate(issue=issue, original=original, actor=actor, user=request.user, note=note,
                                     expected_version=version)
            else:
                issue_note(issue=issue, text=note, public=action == "public_update", actor=actor, user=request.user,
                           expected_version=version)
        except TransitionNotAllowed as exc:
            return Response({"detail": str(exc), "allowed": [action_for(s) for s in exc.allowed]}, status=status.HTTP_409_CONFLICT)
        except StaleVersion as exc:
            return Response({"detail": str(exc), "version": exc.current}, status=status.HTTP_409_CONFLICT)
        except ValueError as exc:
            raise ValidationError({"detail": str(exc)}) from None
        issue.refresh_from_db()
        response = Response(issue_feature(issue, permissions.can_see_reporter(request.user, issue), False))
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

