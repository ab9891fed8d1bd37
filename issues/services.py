"""Writes: the reporting catalogue, citizen reports, their lifecycle, comments, supports and re-routing."""
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, InterfaceError, OperationalError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from hazards.selectors import high_hazards_at
from layers.models import District
from layers.sql_files import fetch_one

from .duplicates import possible_duplicates
from .models import (
    Category, Department, IdempotencyRecord, Issue, IssueUpdate, Notification, RoutingRule, Support, Watcher,
)
from .routing import RoutingDecision, route_report

DEPARTMENT_FIELDS = ("name_el", "name_en", "email", "phone")
CATEGORY_FIELDS = (
    "name_el", "name_en", "group_el", "group_en", "keywords", "description_el", "description_en", "attributes", "target_days",
    "hazard_kinds",
)


class CatalogueError(ValueError):
    """The catalogue cannot be loaded as it is; the message names the entry and what to fix."""


@dataclass
class CatalogueReport:
    committed: bool
    counts: dict[str, dict[str, int]] = field(default_factory=dict)

    def count(self, kind: str, outcome: str) -> None:
        self.counts.setdefault(kind, {"created": 0, "updated": 0, "unchanged": 0})[outcome] += 1

    def summary(self) -> str:
        verb = "" if self.committed else "would be "
        parts = [
            f"{kind}: {c['created']} {verb}created, {c['updated']} {verb}updated, {c['unchanged']} unchanged"
            for kind, c in self.counts.items()
        ]
        return "; ".join(parts) + ("" if self.committed else " (dry run, nothing written; add --commit to write)")


def catalogue_load(*, data: dict, commit: bool = False) -> CatalogueReport:
    """Create or update departments, categories and routing rules from a catalogue document, all or nothing.

    Entries are matched by department slug, category service_code and rule scope (category, district);
    entries not in the document are left as they are. A dry run checks everything and writes nothing.
    """
    for key in ("departments", "categories", "routing_rules"):
        if not isinstance(data.get(key, []), list):
            raise CatalogueError(f"'{key}' must be a list")
    report = CatalogueReport(committed=commit)
    with transaction.atomic():
        departments = {
            d.slug: d
            for d in _upsert_all(report, "departments", Department, "slug", DEPARTMENT_FIELDS, data.get("departments", []))
        }
        categories = {
            c.service_code: c
            for c in _upsert_all(report, "categories", Category, "service_code", CATEGORY_FIELDS, data.get("categories", []))
        }
        districts = {d.code: d for d in District.objects.all()}
        for number, entry in enumerate(data.get("routing_rules", []), start=1):
            _upsert_rule(report, number, entry, departments, categories, districts)
        if not commit:
            transaction.set_rollback(True)
    return report


def _upsert_all(report, kind, model, key, fields, entries):
    existing = {getattr(obj, key): obj for obj in model.objects.filter(**{f"{key}__in": [e.get(key) for e in entries]})}
    objects = []
    for number, entry in enumerate(entries, start=1):
        identity = entry.get(key)
        if not identity:
            raise CatalogueError(f"{kind} entry {number} has no '{key}'")
        unknown = set(entry) - set(fields) - {key}
        if unknown:
            raise CatalogueError(f"{kind} entry '{identity}' has unknown fields: {', '.join(sorted(unknown))}")
        obj = existing.get(identity) or model(**{key: identity})
        changed = obj.pk is None
        for name in fields:
            if name in entry and getattr(obj, name) != entry[name]:
                setattr(obj, name, entry[name])
                changed = True
        _validate(obj, f"{kind} entry '{identity}'")
        if changed:
            outcome = "created" if obj.pk is None else "updated"
            obj.save()
        else:
            outcome = "unchanged"
        report.count(kind, outcome)
        existing[identity] = obj
        objects.append(obj)
    return objects


def _upsert_rule(report, number, entry, departments, categories, districts):
    where = f"routing rule {number}"
    department = _resolve(departments, Department, "slug", entry.get("department"), f"{where}: department")
    if department is None:
        raise CatalogueError(f"{where} needs a 'department'")
    category = _resolve(categories, Category, "service_code", entry.get("category"), f"{where}: category")
    district = _resolve(districts, District, "code", entry.get("district"), f"{where}: district")
    rule = RoutingRule.objects.filter(category=category, district=district).first()
    if rule is None:
        rule = RoutingRule(category=category, district=district, department=department, note=entry.get("note", ""))
        outcome = "created"
    elif rule.department_id != department.pk or rule.note != entry.get("note", rule.note):
        rule.department = department
        rule.note = entry.get("note", rule.note)
        outcome = "updated"
    else:
        report.count("routing_rules", "unchanged")
        return
    _validate(rule, where)
    rule.save()
    report.count("routing_rules", outcome)


def _resolve(known: dict, model, key: str, value, where: str):
    if value in (None, ""):
        return None
    obj = known.get(value) or model.objects.filter(**{key: value}).first()
    if obj is None:
        raise CatalogueError(f"{where} '{value}' does not exist")
    return obj


def _validate(obj, where: str) -> None:
    try:
        obj.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        problems = "; ".join(f"{name}: {' '.join(msgs)}" for name, msgs in exc.message_dict.items())
        raise CatalogueError(f"{where}: {problems}") from None


# ---------------------------------------------------------------------------------------------
# Citizen reports


class ReportError(ValueError):
    """A report cannot be accepted; parameter names what to fix (an Open311 400)."""

    def __init__(self, parameter: str, message: str):
        super().__init__(f"{parameter}: {message}")
        self.parameter = parameter


class IdempotencyConflict(ValueError):
    """An Idempotency-Key came back with a different request."""


class TransitionNotAllowed(ValueError):
    def __init__(self, issue: Issue, to_status: str, allowed: list[str]):
        self.allowed = allowed
        super().__init__(
            f"an issue that is {issue.status} cannot become {to_status}; allowed: {', '.join(allowed) or 'none'}"
        )


@dataclass
class Reporter:
    email: str = ""
    first_name: str = ""
    last_name: str = ""
    phone: str = ""
    device_id: str = ""
    account_id: str = ""


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


MAX_DESCRIPTION = 4000


class SavedFiles(list):
    """Files saved to storage inside a transaction, removed again when the transaction fails.

    A failure before COMMIT stored nothing, so the files go. A connection lost during COMMIT itself
    leaves it unknown whether the rows were stored: the files are kept then, so the worst case is a
    file that no row references, never a stored report whose photo is missing.
    """

    _committing = False

    def committing(self) -> None:
        """Call as the last statement inside the atomic block: what fails after this fails in COMMIT."""
        self._committing = True

    def discard(self, exc: BaseException) -> None:
        if self._committing and isinstance(exc, (OperationalError, InterfaceError)):
            return
        for stored in self:
            stored.delete(save=False)


TRANSITIONS: dict[str, tuple[str, ...]] = {
    "new": ("acknowledged", "in_progress", "resolved", "closed"),
    "acknowledged": ("in_progress", "resolved", "closed"),
    "in_progress": ("resolved", "closed"),
    "resolved": ("closed", "reopened"),
    "closed": ("reopened",),
    "reopened": ("acknowledged", "in_progress", "resolved", "closed"),
}


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
        raise ReportError("description", f"is {len(description)} characters; at most {MAX_DESCRIPTION}")
    clean_attributes = _checked_attributes(category, attributes or {})
    reporter = reporter or Reporter()
    decision = route_report(category=category, point=point)
    duplicates = possible_duplicates(category=category, point=point)
    priority, priority_reason = _hazard_priority(category, point)

    saved_files = SavedFiles()
    try:
        with transaction.atomic():
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
                issue.photo.save(photo.photo.name, photo.photo, save=False)
                saved_files.append(issue.photo)
                issue.thumbnail.save(photo.thumbnail.name, photo.thumbnail, save=False)
                saved_files.append(issue.thumbnail)
            issue.save()
            IssueUpdate.objects.create(
                issue=issue, kind=IssueUpdate.Kind.STATUS, to_status=Issue.Status.NEW, public=True, actor=actor,
                description="reported",
            )
            _notify_department(issue)
            result = ReportResult(issue=issue, decision=decision, possible_duplicates=duplicates)
            if answer is not None:
                result.answer = answer(result)
            if idempotency is not None:
                IdempotencyRecord.objects.create(
                    scope=idempotency.scope, key=idempotency.key, fingerprint=idempotency.fingerprint,
                    issue=issue, response=result.answer or {},
                )
            saved_files.committing()
    except IntegrityError as exc:
        saved_files.discard(exc)
        if idempotency is not None:
            replay = _idempotent_replay(idempotency)  # a concurrent retry with the same key won the race
            if replay is not None:
                return replay
        raise
    except BaseException as exc:
        saved_files.discard(exc)
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
                raise ReportError(f"attribute[{code}]", f"is required for {category.service_code}: {definition['description']}")
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


class StaleVersion(ValueError):
    """The issue changed since the caller read it: their write would overwrite someone else's."""

    def __init__(self, expected: int, current: int):
        self.current = current
        super().__init__(
            f"the issue changed since you loaded it (you sent version {expected}, it is now at version {current}); "
            "reload it and try again"
        )


def _locked(issue: Issue, expected_version: int | None) -> Issue:
    """The issue's row, locked for this transaction, checked against the version the caller saw."""
    current = Issue.objects.select_for_update(of=("self",)).select_related("category", "department", "district").get(pk=issue.pk)
    if expected_version is not None and current.version != expected_version:
        raise StaleVersion(expected_version, current.version)
    return current


def issue_transition(
    *, issue: Issue, to_status: str, actor: str, user=None, note: str = "", public: bool = True, close_reason: str = "",
    expected_version: int | None = None, photo=None,
) -> IssueUpdate:
    """Move an issue to another state, record who, when, from, to and the note, and tell the reporter.

    expected_version, when given, must be the issue's current version (else StaleVersion).
    """
    caller_copy = issue
    saved_files = SavedFiles()
    try:
        with transaction.atomic():
            issue = _locked(issue, expected_version)
            allowed = list(TRANSITIONS.get(issue.status, ()))
            if to_status not in allowed:
                raise TransitionNotAllowed(issue, to_status, allowed)
            if to_status == Issue.Status.CLOSED:
                if close_reason not in Issue.CloseReason.values:
                    raise ValueError(f"closing needs a reason: one of {', '.join(Issue.CloseReason.values)}")
            elif close_reason:
                raise ValueError("a close reason is only given when closing")
            if len(note) > MAX_DESCRIPTION:
                raise ValueError(f"the note is {len(note)} characters; at most {MAX_DESCRIPTION}")
            update = IssueUpdate(
                issue=issue, kind=IssueUpdate.Kind.STATUS, from_status=issue.status, to_status=to_status,
                close_reason=close_reason, description=note, public=public, actor=actor, user=user,
                changes={"status": [issue.status, to_status]},
            )
            if photo is not None:
                update.photo.save(photo.photo.name, photo.photo, save=False)
                saved_files.append(update.photo)
            update.save()
            issue.status = to_status
            issue.close_reason = close_reason
            if to_status == Issue.Status.RESOLVED:
                issue.resolved_at = timezone.now()
            elif to_status == Issue.Status.REOPENED:
                issue.resolved_at = None
                issue.reopened_count += 1
            if public and note:
                issue.status_notes = note
            issue.version += 1
            issue.save()
            if public:
                _notify_reporter(issue, update)
            saved_files.committing()
    except BaseException as exc:
        saved_files.discard(exc)
        raise
    caller_copy.refresh_from_db()
    return update


def issue_reassign(
    *, issue: Issue, department: Department, reason: str, actor: str, user=None, expected_version: int | None = None
) -> IssueUpdate:
    """Hand an issue to another department at once; the reason is required and kept in the history."""
    reason = reason.strip()
    if not reason:
        raise ValueError("reassigning needs a reason")
    if not department.active:
        raise ValueError(f"department {department.slug} is not active")
    with transaction.atomic():
        current = _locked(issue, expected_version)
        if current.department_id == department.pk:
            raise ValueError(f"the issue is already with {department.slug}")
        if not current.is_open:
            raise ValueError(f"a {current.status} issue is not reassigned; reopen it first")
        before = current.department.slug
        current.department = department
        current.routing_note = f"reassigned from {before} to {department.slug} by {actor}: {reason}"[:400]
        current.version += 1
        current.save()
        update = IssueUpdate.objects.create(
            issue=current, kind=IssueUpdate.Kind.REASSIGN, description=reason, public=False, actor=actor, user=user,
            from_status=current.status, to_status=current.status, changes={"department": [before, department.slug]},
        )
        _notify_department(current)
    issue.refresh_from_db()
    return update


def issue_mark_duplicate(
    *, issue: Issue, original: Issue, actor: str, user=None, note: str = "", expected_version: int | None = None
) -> IssueUpdate:
    """Close an issue as a duplicate of another; its supports and its watchers (reporter included) move over."""
    if original.pk == issue.pk:
        raise ValueError("an issue cannot be a duplicate of itself")
    with transaction.atomic():
        current = _locked(issue, expected_version)
        target = Issue.objects.select_for_update().get(pk=original.pk)
        if target.duplicate_of_id is not None:
            raise ValueError(f"issue {target.pk} is itself a duplicate of {target.duplicate_of_id}; use that one")
        if Issue.Status.CLOSED not in TRANSITIONS.get(current.status, ()):
            raise TransitionNotAllowed(current, Issue.Status.CLOSED, list(TRANSITIONS.get(current.status, ())))
        moved_supports = 0
        for support in list(current.supports.all()):
            clash = Support.objects.filter(issue=target).filter(
                Q(user_id=support.user_id) if support.user_id else Q(device_id=support.device_id)
            )
            if clash.exists():
                support.delete()
            else:
                support.issue = target
                support.save(update_fields=["issue"])
                moved_supports += 1
        emails = set(current.watchers.values_list("email", flat=True)) | ({current.email} if current.email else set())
        for email in emails - {target.email}:
            Watcher.objects.get_or_create(issue=target, email=email)
        current.watchers.all().delete()
        update = IssueUpdate.objects.create(
            issue=current, kind=IssueUpdate.Kind.DUPLICATE, from_status=current.status, to_status=Issue.Status.CLOSED,
            close_reason=Issue.CloseReason.DUPLICATE, description=note or f"duplicate of #{target.pk}", public=True,
            actor=actor, user=user, changes={"status": [current.status, "closed"], "duplicate_of": [None, target.pk],
                                            "supports_moved": [0, moved_supports]},
        )
        current.status = Issue.Status.CLOSED
        current.close_reason = Issue.CloseReason.DUPLICATE
        current.duplicate_of = target
        current.status_notes = update.description
        current.version += 1
        current.save()
        _notify_reporter(current, update)
    issue.refresh_from_db()
    return update


def issue_note(
    *, issue: Issue, text: str, public: bool, actor: str, user=None, expected_version: int | None = None
) -> IssueUpdate:
    """A staff note: public (shown in the updates feed, becomes status_notes, told to the reporter) or internal."""
    text = text.strip()
    if not text:
        raise ValueError("the note is empty")
    if len(text) > MAX_DESCRIPTION:
        raise ValueError(f"the note is {len(text)} characters; at most {MAX_DESCRIPTION}")
    with transaction.atomic():
        current = _locked(issue, expected_version)
        update = IssueUpdate.objects.create(
            issue=current, kind=IssueUpdate.Kind.NOTE, description=text, public=public, actor=actor, user=user,
            from_status=current.status, to_status=current.status, close_reason=current.close_reason,
            changes={"status_notes": [current.status_notes, text]} if public else {},
        )
        if public:
            current.status_notes = text
        current.version += 1
        current.save()
        if public:
            _notify_reporter(current, update)
    issue.refresh_from_db()
    return update


def issue_comment(*, issue: Issue, text: str, actor: str, author_name: str = "", user=None) -> IssueUpdate:
    """Add a public comment to an issue."""

    text = text.strip()
    if not text:
        raise ReportError("text", "is required")
    if len(text) > MAX_DESCRIPTION:
        raise ReportError("text", f"is {len(text)} characters; at most {MAX_DESCRIPTION}")
    if len(author_name) > 100:
        raise ReportError("author_name", "is longer than 100 characters")
    return IssueUpdate.objects.create(
        issue=issue, kind=IssueUpdate.Kind.COMMENT, description=text, public=True, actor=actor,
        author_name=author_name.strip(), user=user, from_status=issue.status, to_status=issue.status,
        close_reason=issue.close_reason,
    )


class AlreadySupported(ValueError):
    pass


def issue_support(*, issue: Issue, user=None, device_id: str = "") -> Support:
    """Add a "me too": one per account (when signed in) or per device."""

    if user is None and not device_id:
        raise ReportError("device_id", "is required when not signed in")
    if len(device_id) > 100:
        raise ReportError("device_id", "is longer than 100 characters")
    try:
        with transaction.atomic():
            return Support.objects.create(issue=issue, user=user, device_id="" if user is not None else device_id)
    except IntegrityError:
        raise AlreadySupported("this account or device already supports this issue") from None


@dataclass
class RerouteReport:
    examined: int
    moved: int


def issues_reroute(*, actor: str, include_closed: bool = False) -> RerouteReport:
    """Re-route reports after a boundary or rule change, in one set-based statement (issues/sql/reroute.sql)."""
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL work_mem = '256MB'")  # the sorts and hashes of a city's reports, in memory
        row = fetch_one("issues", "reroute", {"include_closed": include_closed, "actor": actor})
    return RerouteReport(examined=row["examined"], moved=row["moved"])


def _notify_department(issue: Issue) -> None:

    department = issue.department
    if not department.email:
        return
    _outbox_wake()
    Notification.objects.create(
        kind=Notification.Kind.NEW_ISSUE,
        issue=issue,
        recipient=department.email,
        subject=f"[#{issue.pk}] New report: {issue.category.name_en} / {issue.category.name_el}",
        body=(
            f"A new report #{issue.pk} ({issue.category.name_en}) was routed to {department.name_en}.\n"
            f"Where: {issue.address or f'{issue.location.y:.6f}, {issue.location.x:.6f}'}"
            f" ({issue.district.name if issue.district else 'no district'})\n"
            f"Routing: {issue.routing_note}\n\n{issue.description}\n"
        ),
    )


def _notify_reporter(issue: Issue, update: IssueUpdate) -> None:
    """Tell the reporter and the watchers of a public change, once each."""
    recipients = sorted(({issue.email} if issue.email else set()) | set(issue.watchers.values_list("email", flat=True)))
    if recipients:
        _outbox_wake()
    status = (update.to_status or issue.status).replace("_", " ")
    Notification.objects.bulk_create([
        Notification(
            kind=Notification.Kind.STATUS_CHANGE,
            issue=issue,
            update=update,
            recipient=email,
            subject=f"[#{issue.pk}] Your report is now {status} / Η αναφορά σας",
            body=(
                f"Report #{issue.pk} ({issue.category.name_en} / {issue.category.name_el}) is now {status}.\n\n"
                f"{update.description}\n"
            ),
        )
        for email in recipients
    ])


@dataclass
class OutboxReport:
    sent: int = 0
    retried: int = 0
    given_up: int = 0


def _outbox_wake() -> None:
    """The worker sends the new e-mails soon after this transaction commits (issues/tasks.py)."""
    from .tasks import outbox_wake

    outbox_wake()


def notifications_send(*, limit: int = 100, now=None) -> OutboxReport:
    """Send due e-mails from the outbox, one row locked at a time, so no two senders send the same one.

    A failure is retried later (1, 2, 4 ... minutes) up to NOTIFICATION_MAX_ATTEMPTS, then given up.
    The mail server accepts a message before its row is marked sent: if the database is lost between the
    two, that message goes again on the next run, with the same Message-ID, so the receiving side can
    tell it is the same e-mail.
    """
    from django.conf import settings
    from django.core.mail import EmailMessage

    report = OutboxReport()
    for _ in range(limit):
        now = timezone.now()
        with transaction.atomic():
            notification = (
                Notification.objects.select_for_update(skip_locked=True)
                .filter(sent_at__isnull=True, failed=False)
                .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
                .order_by("id")
                .first()
            )
            if notification is None:
                break
            notification.attempts += 1
            try:
                EmailMessage(
                    notification.subject, notification.body, settings.DEFAULT_FROM_EMAIL, [notification.recipient],
                    headers={"Message-ID": notification_message_id(notification)},
                ).send()
            except Exception as exc:  # any transport error: keep it for a retry
                notification.last_error = f"{exc.__class__.__name__}: {exc}"[:2000]
                if notification.attempts >= settings.NOTIFICATION_MAX_ATTEMPTS:
                    notification.failed = True
                    report.given_up += 1
                else:
                    notification.next_attempt_at = now + timedelta(minutes=2 ** (notification.attempts - 1))
                    report.retried += 1
            else:
                notification.sent_at = now
                notification.last_error = ""
                report.sent += 1
            notification.save()
    return report


def notification_message_id(notification: Notification) -> str:
    """The same Message-ID every time one notification is sent."""
    from django.conf import settings

    domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip("> ") or "localhost"
    return f"<notification-{notification.pk}.{int(notification.created_at.timestamp())}@{domain}>"
