"""A citizen's report: checked, routed, stored with its history, its department's notification and its idempotency record."""
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import IntegrityError
from django.utils import timezone
from django.utils.translation import gettext as _

from core.photos import process_photo
from core.saved_files import atomic_with_files
from hazards.selectors import high_hazards_at

from ..duplicates import possible_duplicates
from ..errors import IdempotencyConflict, ReportError
from ..models import DESCRIPTION_MAX_LENGTH, Category, IdempotencyRecord, Issue, IssueUpdate
from ..routing import RoutingDecision, route_report
from .outbox import notify_department
from .submission import Reporter, Submission, report_category, report_location, submission_fingerprint


@dataclass
class IdempotencyKey:
    scope: str
    key: str
    fingerprint: str


@dataclass
class ReportResult:
    issue: Issue
    decision: RoutingDecision | None
    possible_duplicates: list = field(default_factory=list)
    answer: dict | None = None
    replayed: bool = False


MAX_DESCRIPTION = DESCRIPTION_MAX_LENGTH


def issue_report(
    *,
    category: Category,
    point,
    actor: str,
    description: str = "",
    attributes: dict | None = None,
    address: str = "",
    address_id: str = "",
    zipcode: str = "",
    reporter: Reporter | None = None,
    user=None,
    api_key=None,
    media_url: str = "",
    photo=None,
    idempotency: IdempotencyKey | None = None,
    answer: Callable[[ReportResult], dict] | None = None,
) -> ReportResult:
    """Route and store a citizen's report with its history entry and the department's notification.

    All or nothing: a report outside the municipality, with a bad attribute or a description that is
    too long raises before anything is written; a photo saved to storage is removed again if the
    transaction fails. With an idempotency key seen before, the first answer is returned and nothing
    is created.
    """
    if idempotency is not None:
        replay = _idempotent_replay(idempotency)
        if replay is not None:
            return replay
    if len(description) > MAX_DESCRIPTION:
        raise ReportError("description", _("is %(length)d characters; at most %(limit)d")
                          % {"length": len(description), "limit": MAX_DESCRIPTION}, code="too_long")
    clean_attributes = _checked_attributes(category, attributes or {})
    reporter = reporter or Reporter()
    decision = route_report(category=category, point=point)
    duplicates = possible_duplicates(category=category, point=point)
    priority, priority_reason = _hazard_priority(category, point)

    try:
        with atomic_with_files() as saved_files:
            issue = Issue(
                category=category,
                description=description,
                attributes=clean_attributes,
                location=point,
                address=address[:300],
                address_id=address_id[:64],
                zipcode=zipcode[:16],
                district=decision.district,
                department=decision.department,
                routing_note=decision.explanation[:400],
                priority=priority,
                priority_reason=priority_reason,
                email=reporter.email,
                first_name=reporter.first_name,
                last_name=reporter.last_name,
                phone=reporter.phone,
                device_id=reporter.device_id,
                account_id=reporter.account_id,
                user=user,
                api_key=api_key,
                media_url=media_url,
                expected_at=timezone.now() + timedelta(days=category.target_days),
            )
            if photo is not None:
                saved_files.save(issue.photo, photo.photo)
                saved_files.save(issue.thumbnail, photo.thumbnail)
            issue.save()
            IssueUpdate.objects.create(
                issue=issue, kind=IssueUpdate.Kind.STATUS, to_status=Issue.Status.NEW, public=True, actor=actor,
                description="reported",
            )
            notify_department(issue)
            result = ReportResult(issue=issue, decision=decision, possible_duplicates=duplicates)
            if answer is not None:
                result.answer = answer(result)
            if idempotency is not None:
                IdempotencyRecord.objects.create(
                    scope=idempotency.scope, key=idempotency.key, fingerprint=idempotency.fingerprint,
                    issue=issue, response=result.answer or {},
                )
    except IntegrityError:
        if idempotency is not None:
            replay = _idempotent_replay(idempotency)  # a concurrent retry with the same key won the race
            if replay is not None:
                return replay
        raise
    return result


def _hazard_priority(category: Category, point) -> tuple[int, str]:
    """High priority for a hazard-relevant category inside a high-level zone of one of its hazard kinds."""
    high = high_hazards_at(point, kinds=list(category.hazard_kinds))
    if not high:
        return Issue.Priority.NORMAL, ""
    reasons = ", ".join(f"{h.layer.slug} {h.value:g} {h.layer.units}" for h in high)
    return Issue.Priority.HIGH, f"high {'/'.join(sorted({h.layer.kind for h in high}))} hazard here ({reasons})"[:300]


def _idempotent_replay(idempotency: IdempotencyKey) -> ReportResult | None:

    record = IdempotencyRecord.objects.select_related("issue").filter(scope=idempotency.scope, key=idempotency.key).first()
    if record is None:
        return None
    if record.fingerprint != idempotency.fingerprint:
        raise IdempotencyConflict(
            "this Idempotency-Key was used for a different request; send a new key for a new report"
        )
    return ReportResult(issue=record.issue, decision=None, answer=record.response, replayed=True)


def _checked_attributes(category: Category, given: dict) -> dict:
    """Check attribute[code] values against the category's definitions (GeoReport v2 datatypes)."""
    from datetime import datetime

    definitions = {d["code"]: d for d in category.attributes}
    unknown = sorted(set(given) - set(definitions))
    if unknown:
        known = ", ".join(sorted(definitions)) or "none"
        raise ReportError(f"attribute[{unknown[0]}]", f"is not an attribute of {category.service_code} (its attributes: {known})")
    clean = {}
    for code, definition in definitions.items():
        value = given.get(code)
        if value in (None, "", []):
            if definition.get("required"):
                raise ReportError(f"attribute[{code}]", _("is required for %(service)s: %(question)s")
                                  % {"service": category.service_code, "question": definition["description"]}, code="required")
            continue
        datatype = definition["datatype"]
        keys = {str(v["key"]) for v in definition.get("values", [])}
        if datatype == "multivaluelist":
            values = value if isinstance(value, list) else [value]
            bad = [v for v in values if str(v) not in keys]
            if bad:
                raise ReportError(f"attribute[{code}]", f"{bad[0]!r} is not one of {', '.join(sorted(keys))}")
            clean[code] = [str(v) for v in values]
            continue
        if isinstance(value, list):
            if len(value) != 1:
                raise ReportError(f"attribute[{code}]", "takes one value")
            value = value[0]
        value = str(value)
        if datatype == "singlevaluelist" and value not in keys:
            raise ReportError(f"attribute[{code}]", f"{value!r} is not one of {', '.join(sorted(keys))}")
        if datatype == "number":
            try:
                float(value)
            except ValueError:
                raise ReportError(f"attribute[{code}]", f"must be a number, got {value[:40]!r}") from None
        if datatype == "datetime":
            try:
                datetime.fromisoformat(value.replace("Z", "+00:00"))
            except ValueError:
                raise ReportError(f"attribute[{code}]", f"must be an ISO 8601 date and time, got {value[:40]!r}") from None
        if len(value) > 1000:
            raise ReportError(f"attribute[{code}]", "is longer than 1000 characters")
        clean[code] = value
    return clean


def report_submit(*, submission: Submission, actor: str, client_scope: str, user=None, api_key=None,
                  answer: Callable[[ReportResult], dict] | None = None) -> ReportResult:
    """Check a submission (service, place, description, photo, e-mail, Idempotency-Key) and report it with
    issue_report. Every problem is a ReportError naming the field, raised before anything is stored."""
    category = report_category(submission.service_code)
    point, address, address_id = report_location(submission)
    if len(submission.description) > MAX_DESCRIPTION:
        raise ReportError("description", _("is %(length)d characters; at most %(limit)d")
                          % {"length": len(submission.description), "limit": MAX_DESCRIPTION}, code="too_long")
    if submission.media_url and not submission.media_url.lower().startswith(("http://", "https://")):
        raise ReportError("media_url", _("must be an http or https URL"))
    if submission.reporter.email and "@" not in submission.reporter.email:
        raise ReportError("email", _("not an e-mail address: %(value)r") % {"value": submission.reporter.email[:60]})
    idempotency = None
    if submission.idempotency_key:
        if len(submission.idempotency_key) > 200:
            raise ReportError("Idempotency-Key", "at most 200 characters")
        idempotency = IdempotencyKey(scope=client_scope, key=submission.idempotency_key,
                                     fingerprint=submission_fingerprint(submission))
    photo = None
    if submission.upload is not None:
        photo = process_photo(submission.upload, parameter="media")
    return issue_report(
        category=category, point=point, actor=actor, description=submission.description,
        attributes=submission.attributes, address=address, address_id=address_id, zipcode=submission.zipcode,
        reporter=submission.reporter, user=user, api_key=api_key, media_url=submission.media_url, photo=photo,
        idempotency=idempotency, answer=answer,
    )
