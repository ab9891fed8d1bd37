"""Departments, categories and routing rules; citizen reports with their history, supports, photos and outbox."""
import uuid

from django.conf import settings
from django.contrib.gis.db import models
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.functions import RandomUUID
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MinValueValidator
from django.db.models import Q
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hazards.models import HazardLayer
from layers.models import District

from .attributes import validate_attribute_definitions

# The longest description, comment or note a citizen or staff member may write (every check reads this one).
DESCRIPTION_MAX_LENGTH = 4000


class Department(models.Model):
    """A municipal department that receives and works on reports."""

    slug = models.SlugField(max_length=64, unique=True)
    name_el = models.CharField("name (Greek)", max_length=200)
    name_en = models.CharField("name (English)", max_length=200)
    email = models.EmailField(blank=True, default="", db_default="")
    phone = models.CharField(max_length=32, blank=True, default="", db_default="")
    active = models.BooleanField(default=True, db_default=True)

    class Meta:
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.name_en


class Category(models.Model):
    """An Open311 service: what a citizen can report (a pothole, a broken street light, ...)."""

    service_code = models.SlugField(max_length=64, unique=True)
    name_el = models.CharField("name (Greek)", max_length=200)
    name_en = models.CharField("name (English)", max_length=200)
    group_el = models.CharField("group (Greek)", max_length=200)
    group_en = models.CharField("group (English)", max_length=200)
    keywords = models.CharField(max_length=500, blank=True, help_text="Comma-separated, Greek and English.", default="", db_default="")
    description_el = models.TextField("description (Greek)", blank=True, default="", db_default="")
    description_en = models.TextField("description (English)", blank=True, default="", db_default="")
    attributes = models.JSONField(
        default=list,
        blank=True,
        validators=[validate_attribute_definitions],
        help_text="Open311 attribute definitions: a list of {code, datatype, required, description, order, values}.",
        db_default=[],
    )
    target_days = models.PositiveSmallIntegerField(
        default=7, validators=[MinValueValidator(1)], help_text="Days within which a report should be resolved.",
        db_default=7,
    )
    duplicate_radius_m = models.PositiveIntegerField(
        default=50, validators=[MinValueValidator(1)], help_text="Open reports of this category within this many metres may be duplicates.",
        db_default=50,
    )
    duplicate_window_days = models.PositiveSmallIntegerField(
        default=30, validators=[MinValueValidator(1)], help_text="... and reported within this many days.",
        db_default=30,
    )
    hazard_kinds = ArrayField(
        models.CharField(max_length=16, choices=HazardLayer.Kind.choices), default=list, blank=True,
        help_text="Hazard kinds that make a report of this category more urgent inside a high-level zone "
                  "(earthquake, flood, coastal_flood, heat, landslide).",
                  db_default=[],
              )
    active = models.BooleanField(default=True, db_default=True)

    class Meta:
        ordering = ["group_en", "service_code"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return f"{self.name_en} ({self.service_code})"

    @property
    def keyword_list(self) -> list[str]:
        return [k.strip() for k in self.keywords.split(",") if k.strip()]


class RoutingRule(models.Model):
    """Category and district → department. Blank category or district means "any"; both blank is the fallback."""

    category = models.ForeignKey(Category, null=True, blank=True, on_delete=models.CASCADE, related_name="routing_rules")
    district = models.ForeignKey(District, null=True, blank=True, on_delete=models.CASCADE, related_name="routing_rules")
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="routing_rules")
    note = models.CharField(max_length=200, blank=True, default="", db_default="")

    class Meta:
        ordering = ["category__service_code", "district__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["category", "district"], nulls_distinct=False, name="routing_rule_one_per_scope"
            ),
        ]
        indexes = [models.Index(fields=["category", "district"], name="routing_rule_scope")]

    def __str__(self) -> str:
        return f"{self.scope_label} → {self.department.slug}"

    @property
    def scope_label(self) -> str:
        category = self.category.service_code if self.category_id else "any category"
        district = self.district.code if self.district_id else "any district"
        return f"{category} in {district}"

    def clean(self) -> None:
        if self.category_id is None and self.district_id is not None:
            raise ValidationError("a district-only rule is not supported: name the category too, or leave both blank")


class ApiKey(models.Model):
    """A key an Open311 client sends as api_key to create reports; only its SHA-256 hash is stored."""

    name = models.CharField(max_length=200, help_text="Who uses the key (an app, a partner).")
    prefix = models.CharField(max_length=12, unique=True, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    rate_limit_per_minute = models.PositiveIntegerField(default=60, validators=[MinValueValidator(1)], db_default=60)
    active = models.BooleanField(default=True, db_default=True)
    created_at = models.DateTimeField(auto_now_add=True, db_default=Now())
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "API key"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class Issue(models.Model):
    """A citizen's report: what, where, routed to which department, and where it stands."""

    class Status(models.TextChoices):
        NEW = "new", _("New")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        IN_PROGRESS = "in_progress", _("In progress")
        RESOLVED = "resolved", _("Resolved")
        CLOSED = "closed", _("Closed")
        REOPENED = "reopened", _("Reopened")

    class CloseReason(models.TextChoices):
        """Close reasons as the staff's choice list names them (a report's page says them in a sentence)."""
        DUPLICATE = "duplicate", _("Duplicate")
        NOT_MUNICIPAL_RESPONSIBILITY = "not_municipal_responsibility", _("Not the municipality's responsibility")
        NO_FURTHER_ACTION = "no_further_action", _("No further action")

    class Priority(models.IntegerChoices):
        LOW = 1, pgettext_lazy("priority", "Low")
        NORMAL = 2, pgettext_lazy("priority", "Normal")
        HIGH = 3, pgettext_lazy("priority", "High")
        URGENT = 4, pgettext_lazy("priority", "Urgent")

    OPEN_STATUSES = (Status.NEW, Status.ACKNOWLEDGED, Status.IN_PROGRESS, Status.REOPENED)

    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False, db_default=RandomUUID())
    # category and department are indexed by the composite indexes below, which lead with them.
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="issues", db_index=False)
    description = models.TextField(blank=True, validators=[MaxLengthValidator(DESCRIPTION_MAX_LENGTH)], default="", db_default="")
    attributes = models.JSONField(default=dict, blank=True, db_default={})
    location = models.PointField(srid=4326)
    address = models.CharField(max_length=300, blank=True, default="", db_default="")
    address_id = models.CharField(max_length=64, blank=True, default="", db_default="")
    zipcode = models.CharField(max_length=16, blank=True, default="", db_default="")

    # Routing, as decided when the report came in; a later re-route is recorded in the history.
    district = models.ForeignKey(District, null=True, blank=True, on_delete=models.SET_NULL, related_name="issues")
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="issues", db_index=False)
    routing_note = models.CharField(max_length=400)

    status = models.CharField(max_length=16, choices=Status.choices, default=Status.NEW, db_default=Status.NEW)
    close_reason = models.CharField(max_length=32, choices=CloseReason.choices, blank=True, default="", db_default="")
    status_notes = models.TextField(blank=True, help_text="The latest public note.", default="", db_default="")
    priority = models.PositiveSmallIntegerField(choices=Priority.choices, default=Priority.NORMAL, db_default=Priority.NORMAL)
    priority_reason = models.CharField(max_length=300, blank=True, default="", db_default="")
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="duplicates", db_index=False
    )

    # The reporter: never shown in public output.
    email = models.EmailField(blank=True, default="", db_default="")
    first_name = models.CharField(max_length=100, blank=True, default="", db_default="")
    last_name = models.CharField(max_length=100, blank=True, default="", db_default="")
    phone = models.CharField(max_length=32, blank=True, default="", db_default="")
    device_id = models.CharField(max_length=100, blank=True, default="", db_default="")
    account_id = models.CharField(max_length=100, blank=True, default="", db_default="")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="reported_issues", db_index=False
    )
    api_key = models.ForeignKey(ApiKey, null=True, blank=True, on_delete=models.SET_NULL, related_name="issues", db_index=False)

    media_url = models.URLField(max_length=500, blank=True, default="", db_default="")
    photo = models.ImageField(upload_to="issues/photos/%Y/%m/", blank=True, default="", db_default="")
    thumbnail = models.ImageField(upload_to="issues/thumbnails/%Y/%m/", blank=True, default="", db_default="")

    created_at = models.DateTimeField(auto_now_add=True, db_index=True, db_default=Now())
    updated_at = models.DateTimeField(auto_now=True, db_default=Now())
    expected_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    reopened_count = models.PositiveSmallIntegerField(default=0, db_default=0)
    # Raised by every change staff make; a write that names an older version is refused (409).
    version = models.PositiveIntegerField(default=1, db_default=1)
    # A report imported from the city's previous system: where from (a GeoReport v2 URL, a CSV export's
    # name) and its id there; a second import of the same source updates it instead of adding it again.
    import_source = models.CharField(max_length=200, blank=True, default="", db_default="")
    import_id = models.CharField(max_length=100, blank=True, default="", db_default="")

    class Meta:
        ordering = ["-created_at", "-id"]
        # Few indexes on purpose: a re-route rewrites every index of every row it moves. The optional
        # links are indexed only where set (partial indexes), since most reports have none.
        indexes = [
            models.Index(fields=["category", "status", "created_at"], name="issue_category_status_created"),
            models.Index(fields=["department", "status"], name="issue_department_status"),
            # a department's queue by priority or by age: its first page read from the index, however long the queue
            models.Index(fields=["department", "-priority", "created_at"], name="issue_queue_priority"),
            models.Index(fields=["department", "created_at", "id"], name="issue_queue_age"),
            models.Index(fields=["user"], condition=Q(user__isnull=False), name="issue_user"),
            models.Index(fields=["api_key"], condition=Q(api_key__isnull=False), name="issue_api_key"),
            models.Index(fields=["duplicate_of"], condition=Q(duplicate_of__isnull=False), name="issue_duplicate_of"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["import_source", "import_id"], condition=~Q(import_id=""), name="issue_import_once",
            ),
            models.CheckConstraint(
                condition=Q(status="closed", close_reason__in=["duplicate", "not_municipal_responsibility", "no_further_action", ""])
                | (~Q(status="closed") & Q(close_reason="")),
                name="issue_close_reason_only_when_closed",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.category.service_code} ({self.status})"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES


class IssueUpdate(models.Model):
    """One entry of an issue's history: a status change, a comment, an internal note or a re-route."""

    class Kind(models.TextChoices):
        STATUS = "status", _("Status")
        COMMENT = "comment", _("Comment")
        NOTE = "note", _("Note")
        ROUTING = "routing", _("Routing")
        REASSIGN = "reassign", _("Reassigned")
        DUPLICATE = "duplicate", _("Duplicate")

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="updates")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    from_status = models.CharField(max_length=16, blank=True, default="", db_default="")
    to_status = models.CharField(max_length=16, blank=True, default="", db_default="")
    close_reason = models.CharField(max_length=32, blank=True, default="", db_default="")
    description = models.TextField(blank=True, validators=[MaxLengthValidator(DESCRIPTION_MAX_LENGTH)], default="", db_default="")
    public = models.BooleanField(default=True, db_default=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, db_index=False)
    actor = models.CharField(max_length=200, help_text="Who made the change, as shown in the history.")
    author_name = models.CharField(max_length=100, blank=True, help_text="A commenter's public display name.", default="", db_default="")
    changes = models.JSONField(default=dict, blank=True, help_text="Fields changed: {field: [before, after]}.", db_default={})
    photo = models.ImageField(upload_to="issues/updates/%Y/%m/", blank=True, help_text="A photo of the work, on resolving.", default="", db_default="")
    created_at = models.DateTimeField(auto_now_add=True, db_default=Now())

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["public", "created_at", "id"], name="issueupdate_public_created"),
            models.Index(fields=["user"], condition=Q(user__isnull=False), name="issueupdate_user"),
        ]


class Support(models.Model):
    """A "me too" on an issue: one per account or per device."""

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="supports")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE)
    device_id = models.CharField(max_length=100, blank=True, default="", db_default="")
    created_at = models.DateTimeField(auto_now_add=True, db_default=Now())

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["issue", "user"], condition=Q(user__isnull=False), name="support_once_per_user"),
            models.UniqueConstraint(fields=["issue", "device_id"], condition=~Q(device_id=""), name="support_once_per_device"),
            models.CheckConstraint(condition=Q(user__isnull=False) | ~Q(device_id=""), name="support_has_supporter"),
        ]


class IdempotencyRecord(models.Model):
    """The first answer to a create sent with an Idempotency-Key, so that a retry gets it again."""

    scope = models.CharField(max_length=100, help_text="The API key or session the key belongs to.")
    key = models.CharField(max_length=200)
    fingerprint = models.CharField(max_length=64, help_text="Hash of the request body, to spot a key reused for another request.")
    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="+")
    response = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True, db_default=Now())

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scope", "key"], name="idempotency_scope_key")]


class Notification(models.Model):
    """An e-mail waiting in the outbox; written in the same transaction as the change it tells of."""

    class Kind(models.TextChoices):
        NEW_ISSUE = "new_issue"
        STATUS_CHANGE = "status_change"

    kind = models.CharField(max_length=32, choices=Kind.choices)
    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="notifications")
    update = models.ForeignKey(IssueUpdate, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    recipient = models.EmailField()
    subject = models.CharField(max_length=300)
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True, db_default=Now())
    attempts = models.PositiveSmallIntegerField(default=0, db_default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True, default="", db_default="")
    sent_at = models.DateTimeField(null=True, blank=True)
    failed = models.BooleanField(default=False, help_text="Given up after the last retry.", db_default=False)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["sent_at", "failed", "next_attempt_at"], name="notification_pending")]


class Watcher(models.Model):
    """Someone told of an issue's public changes besides its reporter (a merged duplicate's reporter, say)."""

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="watchers")
    email = models.EmailField()
    created_at = models.DateTimeField(auto_now_add=True, db_default=Now())

    class Meta:
        constraints = [models.UniqueConstraint(fields=["issue", "email"], name="watcher_once_per_email")]


class DepartmentMembership(models.Model):
    """A staff member of a department; managers also reassign and see the department's figures."""

    class Role(models.TextChoices):
        STAFF = "staff"
        MANAGER = "manager"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.STAFF, db_default=Role.STAFF)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "department"], name="membership_once")]

    def __str__(self) -> str:
        return f"{self.user} – {self.department.slug} ({self.role})"
