"""Participatory processes and their phases, proposals with their places, history, co-authors, comments and
supports, residence verification, participatory budgets, projects and secret ballots."""
import uuid

from django.conf import settings
from django.contrib.gis.db import models
from django.contrib.postgres.functions import RandomUUID
from django.db.models.functions import Now
from django.contrib.postgres.fields import ArrayField
from django.db.models import F, Q, Value
from django.utils.translation import gettext_lazy as _

from issues.models import Department, Issue
from layers.models import District


class HiddenCause(models.TextChoices):
    """Why a proposal or comment is hidden: a moderator's decision, enough residents' reports, or its author's block."""

    MODERATOR = "moderator", _("A moderator's decision")
    REPORTS = "reports", _("Reports from residents")
    BLOCK = "block", _("Its author's account is blocked")


class Requirement(models.TextChoices):
    """What a participant needs for an action (a setting of each process)."""

    ACCOUNT = "account", "a signed-in account"
    VERIFIED = "verified", "verified residence in the municipality"
    VERIFIED_IN_SCOPE = "verified_in_scope", "verified residence in a district the process or budget covers"


class Component(models.TextChoices):
    """The parts a process can switch on."""

    PROPOSALS = "proposals", _("Proposals")
    BUDGETS = "budgets", _("Budgets")
    LEGISLATION = "legislation", _("Collaborative legislation")
    DEBATES = "debates", _("Debates")
    SURVEYS = "surveys", _("Surveys")
    MEETINGS = "meetings", _("Meetings")


# The components each kind of process starts with.
COMPONENT_PRESETS = {
    "strategic_planning": (Component.SURVEYS, Component.DEBATES, Component.MEETINGS, Component.PROPOSALS),
    "urban_planning": (Component.PROPOSALS,),
    "collaborative_legislation": (Component.LEGISLATION,),
    "participatory_budgeting": (Component.PROPOSALS, Component.BUDGETS),
    "co_creation": (Component.PROPOSALS,),
}


class Process(models.Model):
    """A participatory process: its kind, texts in Greek and English, its districts and its settings."""

    class Kind(models.TextChoices):
        BUDGETING = "participatory_budgeting", _("Participatory budget")
        URBAN_PLANNING = "urban_planning", _("Urban-planning consultation")
        STRATEGIC_PLANNING = "strategic_planning", _("Strategic planning")
        CO_CREATION = "co_creation", _("Co-creation")
        COLLABORATIVE_LEGISLATION = "collaborative_legislation", _("Collaborative legislation")

    slug = models.SlugField(max_length=80, unique=True)
    kind = models.CharField(max_length=32, choices=Kind.choices)
    title_el = models.CharField("title (Greek)", max_length=200)
    title_en = models.CharField("title (English)", max_length=200)
    description_el = models.TextField("description (Greek)", blank=True, default="", db_default="")
    description_en = models.TextField("description (English)", blank=True, default="", db_default="")
    districts = models.ManyToManyField(
        District, blank=True, related_name="participation_processes",
        help_text="The districts the process covers; none chosen: the whole city.",
    )
    published = models.BooleanField(default=True, help_text="Unpublished processes are seen by staff only.", db_default=True)
    demo = models.BooleanField(default=False, help_text="Demo data, not a real process.", db_default=False)
    # settings (Decidim's component settings, CONSUL's thresholds)
    support_cap = models.PositiveIntegerField(
        default=10, help_text="Supports one participant may give in this process; 0: no limit.", db_default=10)
    support_threshold = models.PositiveIntegerField(
        default=50, help_text="Supports that make a published proposal qualified.", db_default=50)
    comment_requirement = models.CharField(max_length=24, choices=Requirement.choices, default=Requirement.ACCOUNT, db_default=Requirement.ACCOUNT)
    propose_requirement = models.CharField(max_length=24, choices=Requirement.choices, default=Requirement.ACCOUNT, db_default=Requirement.ACCOUNT)
    support_requirement = models.CharField(
        max_length=24, choices=Requirement.choices, default=Requirement.VERIFIED_IN_SCOPE, db_default=Requirement.VERIFIED_IN_SCOPE)
    vote_requirement = models.CharField(
        max_length=24, choices=Requirement.choices, default=Requirement.VERIFIED_IN_SCOPE, db_default=Requirement.VERIFIED_IN_SCOPE)
    components = ArrayField(
        models.CharField(max_length=16, choices=Component.choices), blank=True, default=list,
        db_default=Value(["proposals", "budgets"], output_field=ArrayField(models.CharField(max_length=16))),
        help_text="The components the process uses; a new process starts with its kind's set (COMPONENT_PRESETS).")
    created_at = models.DateTimeField(auto_now_add=True, db_default=Now())
    updated_at = models.DateTimeField(auto_now=True, db_default=Now())

    class Meta:
        ordering = ["-created_at", "slug"]
        verbose_name_plural = "processes"
        constraints = [
            models.CheckConstraint(
                condition=Q(components__contained_by=[c.value for c in Component]),
                name="process_known_components"),
        ]

    def save(self, *args, **kwargs):
        if self._state.adding and not self.components:
            self.components = list(COMPONENT_PRESETS.get(self.kind, (Component.PROPOSALS,)))
        super().save(*args, **kwargs)

    def uses(self, component: str) -> bool:
        return component in (self.components or ())

    def __str__(self) -> str:
        return self.title_en or self.title_el


class Phase(models.Model):
    """One ordered step of a process, with its dates; what participants may do follows from its kind."""

    class Kind(models.TextChoices):
        INFORMATION = "information", _("Information")
        PROPOSALS = "proposals", _("Proposals")
        SUPPORTS = "supports", _("Supports")
        EVALUATION = "evaluation", _("Evaluation")
        VOTING = "voting", _("Voting")
        RESULTS = "results", _("Results")
        IMPLEMENTATION = "implementation", _("Implementation")

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="phases")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    position = models.PositiveSmallIntegerField()
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()

    class Meta:
        ordering = ["process", "position"]
        constraints = [
            models.UniqueConstraint(fields=["process", "position"], name="phase_unique_position"),
            models.UniqueConstraint(fields=["process", "kind"], name="phase_unique_kind"),
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="phase_ends_after_start"),
        ]
        # phases of one process never overlap: an exclusion constraint (btree_gist), added in the migration

    def __str__(self) -> str:
        return f"{self.process.slug}: {self.kind}"


class ProposalCategory(models.Model):
    slug = models.SlugField(max_length=60, unique=True)
    name_el = models.CharField(max_length=120)
    name_en = models.CharField(max_length=120)
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.SET_NULL, related_name="participation_categories",
        help_text="The department that evaluates the proposals of this category (its members see them in their queue).")

    class Meta:
        ordering = ["slug"]
        verbose_name_plural = "proposal categories"

    def __str__(self) -> str:
        return self.name_en


class Proposal(models.Model):
    """A citizen's proposal in a process: text, category, a place (point, line, polygon or none) and its state."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        QUALIFIED = "qualified", _("Qualified (enough supports)")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")
        EVALUATED = "evaluated", _("Evaluated")
        SELECTED = "selected", _("Selected by the vote")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class GeometryKind(models.TextChoices):
        """What the place of a proposal is (from its geometry; none: a city-wide idea)."""
        POINT = "point", _("A point")
        LINE = "line", _("A line")
        POLYGON = "polygon", _("An area")
        NONE = "none", _("The whole city")

    # What anyone may see: neither a draft nor a withdrawn proposal (those only their authors and staff).
    PUBLIC_STATES = (State.PUBLISHED, State.QUALIFIED, State.ACCEPTED, State.REJECTED, State.EVALUATED,
                     State.SELECTED, State.IN_PROGRESS, State.DONE)

    process = models.ForeignKey(Process, on_delete=models.PROTECT, related_name="proposals")
    title = models.CharField(max_length=200)
    body = models.TextField(max_length=6000)
    category = models.ForeignKey(ProposalCategory, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="proposals")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="proposals")
    geom = models.GeometryField(srid=4326, null=True, blank=True, help_text="Empty: a city-wide idea.")
    district = models.ForeignKey(District, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                 help_text="The district with the largest share of the place (set by PostGIS).")
    state = models.CharField(max_length=16, choices=State.choices, default=State.DRAFT, db_default=State.DRAFT)
    answer = models.TextField(blank=True, help_text="The city's official answer (public): the reason of the state.", default="", db_default="")
    cost_estimate = models.PositiveBigIntegerField(null=True, blank=True, help_text="Euros.")
    feasibility = models.TextField(blank=True, default="", db_default="")
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.SET_NULL, related_name="participation_proposals",
        help_text="The department responsible for it (set by the evaluation); empty: its category's department.")
    support_count = models.PositiveIntegerField(default=0, db_default=0)
    comment_count = models.PositiveIntegerField(default=0, help_text="Visible comments (kept by the services).", db_default=0)
    district_codes = models.CharField(max_length=200, blank=True,
                                      help_text="The codes of every district the place lies in, comma-separated.", default="", db_default="")
    from_issue = models.ForeignKey(Issue, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="participation_proposals")
    demo = models.BooleanField(default=False, db_default=False)
    created_at = models.DateTimeField(auto_now_add=True, db_default=Now())
    published_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True, db_default=Now())
    # a draft others may ask to join (a collaborative draft); publishing makes those who joined its co-authors
    open_for_collaboration = models.BooleanField(default=False, db_default=False)
    # moderation: hidden from the public with a public reason (by a moderator, after reports, or with its author's block)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_reason = models.CharField(max_length=300, blank=True, default="", db_default="")
    hidden_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    hidden_cause = models.CharField(max_length=10, choices=HiddenCause.choices, blank=True, default="", db_default="",
                                    help_text="Why it is hidden; the block's hiding ends when the author is unblocked.")
    flag_count = models.PositiveIntegerField(default=0, db_default=0)

    class Meta:
        ordering = ["-published_at", "-id"]
        indexes = [
            models.Index(fields=["process", "state"], name="proposal_process_state"),
            models.Index(fields=["district", "state"], name="proposal_district_state"),
        ]
        # also made by the migration: a trigram index on participation_fold(title) (lower case, no accents)
        constraints = [
            models.CheckConstraint(
                condition=Q(geom__isnull=True) | Q(geom__isvalid=True), name="proposal_geom_valid"),
            models.CheckConstraint(
                condition=Q(hidden_at__isnull=True) | ~Q(hidden_reason=""), name="proposal_hidden_has_reason"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def geometry_kind(self) -> str:
        kinds = self.GeometryKind
        if self.geom is None:
            return kinds.NONE.value
        return {"Point": kinds.POINT, "LineString": kinds.LINE, "MultiLineString": kinds.LINE}.get(
            self.geom.geom_type, kinds.POLYGON).value


class ProposalDistrict(models.Model):
    """A district a proposal's place lies in, with the share of the line's length or the polygon's area in it."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="district_shares")
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="+")
    share = models.FloatField()

    class Meta:
        ordering = ["-share", "district__code"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "district"], name="proposal_district_unique"),
            models.CheckConstraint(condition=Q(share__gt=0) & Q(share__lte=1.000001), name="proposal_district_share"),
        ]
        indexes = [models.Index(fields=["district", "proposal"], name="proposal_district_lookup")]


class ProposalPhoto(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="photos")
    photo = models.ImageField(upload_to="participation/photos/%Y/%m/")
    thumbnail = models.ImageField(upload_to="participation/thumbnails/%Y/%m/")
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True, db_default=Now())

    class Meta:
        ordering = ["id"]


class ProposalEvent(models.Model):
    """The full history of a proposal: state changes (with the city's reason) and edits (with what was there)."""

    class Kind(models.TextChoices):
        STATE = "state"
        EDIT = "edit"
        COAUTHOR = "coauthor"

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    from_state = models.CharField(max_length=16, blank=True, default="", db_default="")
    to_state = models.CharField(max_length=16, blank=True, default="", db_default="")
    reason = models.TextField(blank=True, default="", db_default="")
    # an edit keeps the text and place as they were after it
    title = models.CharField(max_length=200, blank=True, default="", db_default="")
    body = models.TextField(blank=True, default="", db_default="")
    geom = models.GeometryField(srid=4326, null=True, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    staff = models.BooleanField(default=False, help_text="Done by the city (an official answer).", db_default=False)
    at = models.DateTimeField(auto_now_add=True, db_default=Now())

    class Meta:
        ordering = ["at", "id"]


class CoAuthor(models.Model):
    """A participant invited to write a proposal with its author (co-creation); edits once accepted."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="coauthors")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="coauthored")
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    invited_at = models.DateTimeField(auto_now_add=True, db_default=Now())
    accepted_at = models.DateTimeField(null=True, blank=True)
    declined_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["proposal", "user"], name="coauthor_unique")]


class Comment(models.Model):
    """A threaded comment on a proposal; staff hide one with a reason, and it is kept for audit."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(max_length=4000)
    created_at = models.DateTimeField(auto_now_add=True, db_default=Now())
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_reason = models.CharField(max_length=300, blank=True, default="", db_default="")
    hidden_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    hidden_cause = models.CharField(max_length=10, choices=HiddenCause.choices, blank=True, default="", db_default="",
                                    help_text="Why it is hidden; the block's hiding ends when the author is unblocked.")
    flag_count = models.PositiveIntegerField(default=0, db_default=0)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["proposal", "created_at"], name="comment_proposal_created")]
        constraints = [models.CheckConstraint(
            condition=Q(hidden_at__isnull=True) | ~Q(hidden_reason=""), name="comment_hidden_has_reason")]


class CommentFlag(models.Model):
    """A participant's report of a comment, with the reason; one per account (only verified ones hide it)."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="flags")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=300, blank=True, default="", db_default="")
    verified = models.BooleanField(default=False, db_default=False, help_text="Sent from a verified account.")
    created_at = models.DateTimeField(auto_now_add=True, db_default=Now())

    class Meta:
        constraints = [models.UniqueConstraint(fields=["comment", "user"], name="comment_flag_unique")]


class Support(models.Model):
    """One participant's support of one proposal (at most one: a unique constraint)."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="supports")
    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True, db_default=Now())

    class Meta:
        constraints = [models.UniqueConstraint(fields=["proposal", "user"], name="support_one_per_participant")]
        indexes = [models.Index(fields=["process", "user"], name="support_process_user")]


class CensusRecord(models.Model):
    """A resident from the census: a keyed hash of identifier and date of birth, and the district. The identifier
    and the date of birth themselves are never stored."""

    key = models.CharField(max_length=64, unique=True, help_text="HMAC-SHA256 of identifier and date of birth.")
    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    imported_at = models.DateTimeField(auto_now=True, db_default=Now())


class Verification(models.Model):
    """An account's verified residence (census match) and confirmed e-mail."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="participation_verification")
    census_key = models.CharField(max_length=64, null=True, blank=True, unique=True,
                                  help_text="The census entry matched: one account per resident.")
    district = models.ForeignKey(District, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    residence_verified_at = models.DateTimeField(null=True, blank=True)
    email = models.EmailField(blank=True, default="", db_default="")
    email_code_hash = models.CharField(max_length=64, blank=True, default="", db_default="")
    email_code_sent_at = models.DateTimeField(null=True, blank=True)
    email_confirmed_at = models.DateTimeField(null=True, blank=True)

    @property
    def verified(self) -> bool:
        return self.residence_verified_at is not None and self.email_confirmed_at is not None


class Budget(models.Model):
    """A participatory budget of a process: one district's or the whole city's, with its ballot rule."""

    class Rule(models.TextChoices):
        KNAPSACK = "knapsack", "knapsack: projects whose costs fit the budget"
        APPROVAL = "approval", "approval: at most N projects"

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="budgets")
    district = models.ForeignKey(District, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                 help_text="Empty: the city-wide budget.")
    title_el = models.CharField(max_length=200)
    title_en = models.CharField(max_length=200)
    amount = models.PositiveBigIntegerField(help_text="Euros.")
    rule = models.CharField(max_length=10, choices=Rule.choices, default=Rule.KNAPSACK, db_default=Rule.KNAPSACK)
    minimum_share = models.PositiveSmallIntegerField(
        default=70, help_text="Knapsack: a ballot spends at least this percentage of the budget.", db_default=70)
    max_projects = models.PositiveSmallIntegerField(default=3, help_text="Approval: at most this many projects.", db_default=3)
    results_published_at = models.DateTimeField(
        null=True, blank=True, help_text="When the results were published (the winning projects selected); set once.")

    class Meta:
        ordering = ["process", "district__code"]
        constraints = [
            models.UniqueConstraint(fields=["process", "district"], name="budget_one_per_district"),
            models.UniqueConstraint(fields=["process"], condition=Q(district__isnull=True), name="budget_one_citywide"),
            models.CheckConstraint(condition=Q(minimum_share__lte=100), name="budget_minimum_share_percent"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="budget_amount_positive"),
        ]

    def __str__(self) -> str:
        return self.title_en


class Project(models.Model):
    """A project on a budget's ballot, usually from an accepted proposal, with its cost."""

    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="projects")
    proposal = models.ForeignKey(Proposal, null=True, blank=True, on_delete=models.SET_NULL, related_name="projects")
    title_el = models.CharField(max_length=200)
    title_en = models.CharField(max_length=200)
    cost = models.PositiveBigIntegerField(help_text="Euros.")
    geom = models.GeometryField(srid=4326, null=True, blank=True)
    selected = models.BooleanField(default=False, help_text="Chosen by the published results.", db_default=False)
    votes = models.PositiveIntegerField(null=True, blank=True, help_text="Votes, as the published results counted.")
    demo = models.BooleanField(default=False, db_default=False)

    class Meta:
        ordering = ["budget", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(cost__gt=0), name="project_cost_positive"),
            models.UniqueConstraint(fields=["id", "budget"], name="project_id_budget"),
        ]

    def __str__(self) -> str:
        return self.title_en


class BallotCast(models.Model):
    """Who voted in a budget, and nothing about what: no link to the ballot, no time beyond the month."""

    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    month = models.DateField(help_text="The first day of the month of the first vote (for the monthly figures).")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["budget", "user"], name="ballot_cast_once")]


class Ballot(models.Model):
    """What one voter chose in a budget, with no person, no time, no voter key and a random id: written by the count
    from the sealed ballots after the vote closes, in shuffled batches (services/budgets.py `ballots_unseal`)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, db_default=RandomUUID())
    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="+")
    total_cost = models.PositiveBigIntegerField(default=0, db_default=0)


class BallotChoice(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, db_default=RandomUUID())
    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="choices")
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["ballot", "project"], name="ballot_choice_once")]
        indexes = [models.Index(fields=["project"], name="ballot_choice_project")]


class ImplementationStatus(models.TextChoices):
    """Where a project stands in its implementation (of an implementation record and of a municipal project)."""
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class MunicipalProject(models.Model):
    """A project the municipality carried out, and whether a participatory process shaped it (the roadmap's
    share of municipal projects done with a participatory approach)."""

    title_el = models.CharField(max_length=200)
    title_en = models.CharField(max_length=200)
    year = models.PositiveSmallIntegerField()
    district = models.ForeignKey(District, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    process = models.ForeignKey(Process, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="municipal_projects", help_text="The process that shaped it, if any.")
    demo = models.BooleanField(default=False, db_default=False)
    # the register: the municipality's own key, where the project stands, when it was completed, its cost and place
    reference = models.CharField(max_length=40, null=True, blank=True, unique=True,
                                 help_text="The register's code of the project (the key of the CSV import).")
    status = models.CharField(max_length=16, choices=ImplementationStatus.choices, default=ImplementationStatus.PLANNED,
                              db_default=ImplementationStatus.PLANNED)
    completed_on = models.DateField(null=True, blank=True, help_text="The date of completion (a done project has one).")
    cost = models.PositiveBigIntegerField(null=True, blank=True, help_text="Euros.")
    place = models.CharField(max_length=200, blank=True, default="", db_default="", help_text="Where, in words.")
    geom = models.GeometryField(srid=4326, null=True, blank=True)
    implementation = models.OneToOneField(
        "Implementation", null=True, blank=True, on_delete=models.SET_NULL, related_name="municipal_project",
        help_text="The implementation record of the participatory project it is, if any.")

    class Meta:
        ordering = ["-year", "title_en"]
        constraints = [models.CheckConstraint(
            condition=~Q(status="done") | Q(completed_on__isnull=False), name="municipal_project_done_has_date")]

    def __str__(self) -> str:
        return self.title_en


class Implementation(models.Model):
    """How a selected project or an accepted proposal is carried out (Decidim's accountability results): status,
    progress, dates, money spent, the responsible department and milestones. Public, like the proposal it comes from."""

    Status = ImplementationStatus

    process = models.ForeignKey(Process, on_delete=models.PROTECT, related_name="implementations")
    proposal = models.ForeignKey(Proposal, null=True, blank=True, on_delete=models.CASCADE,
                                 related_name="implementations")
    project = models.OneToOneField(Project, null=True, blank=True, on_delete=models.CASCADE,
                                   related_name="implementation")
    title_el = models.CharField("title (Greek)", max_length=200)
    title_en = models.CharField("title (English)", max_length=200)
    geom = models.GeometryField(srid=4326, null=True, blank=True)
    district = models.ForeignKey(District, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(max_length=16, choices=ImplementationStatus.choices,
                              default=ImplementationStatus.PLANNED, db_default=ImplementationStatus.PLANNED)
    progress = models.PositiveSmallIntegerField(default=0, db_default=0, help_text="Per cent, 0 to 100.")
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True, help_text="The end (planned, or actual once done).")
    cost = models.PositiveBigIntegerField(null=True, blank=True, help_text="Euros planned (the project's cost).")
    spent = models.PositiveBigIntegerField(default=0, db_default=0, help_text="Euros spent so far.")
    department = models.ForeignKey("issues.Department", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", help_text="The department responsible for carrying it out.")
    cancel_reason = models.TextField(blank=True, default="", db_default="", help_text="Why it was cancelled (public).")
    demo = models.BooleanField(default=False, db_default=False)
    created_at = models.DateTimeField(auto_now_add=True, db_default=Now())
    updated_at = models.DateTimeField(auto_now=True, db_default=Now())

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["status", "ends_on"], name="implementation_status_end")]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="implementation_progress_percent"),
            models.CheckConstraint(condition=~Q(status="done") | (Q(progress=100) & Q(ends_on__isnull=False)),
                                   name="implementation_done_complete"),
            models.CheckConstraint(condition=~Q(status="cancelled") | ~Q(cancel_reason=""),
                                   name="implementation_cancel_reason"),
            models.CheckConstraint(condition=Q(starts_on__isnull=True) | Q(ends_on__isnull=True)
                                   | Q(ends_on__gte=F("starts_on")), name="implementation_ends_after_start"),
            models.CheckConstraint(condition=Q(proposal__isnull=False) | Q(project__isnull=False),
                                   name="implementation_has_origin"),
            models.UniqueConstraint(fields=["proposal"], condition=Q(project__isnull=True),
                                    name="implementation_one_per_proposal"),
        ]

    def __str__(self) -> str:
        return self.title_en or self.title_el


class Milestone(models.Model):
    """A dated step of an implementation, told in Greek and English, with photos."""

    implementation = models.ForeignKey(Implementation, on_delete=models.CASCADE, related_name="milestones")
    on = models.DateField("date")
    text_el = models.TextField("text (Greek)", max_length=2000, blank=True, default="", db_default="")
    text_en = models.TextField("text (English)", max_length=2000, blank=True, default="", db_default="")
    created_at = models.DateTimeField(auto_now_add=True, db_default=Now())

    class Meta:
        ordering = ["on", "id"]
        constraints = [models.CheckConstraint(condition=~Q(text_el="") | ~Q(text_en=""), name="milestone_has_text")]


class MilestonePhoto(models.Model):
    milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE, related_name="photos")
    photo = models.ImageField(upload_to="participation/milestones/%Y/%m/")
    thumbnail = models.ImageField(upload_to="participation/milestones/thumbnails/%Y/%m/")
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True, db_default=Now())

    class Meta:
        ordering = ["id"]


class ProposalFlag(models.Model):
    """A participant's report of a proposal, with the reason; one per account (only verified ones hide it)."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="flags")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=300)
    verified = models.BooleanField(default=False, db_default=False, help_text="Sent from a verified account.")
    created_at = models.DateTimeField(auto_now_add=True, db_default=Now())

    class Meta:
        constraints = [models.UniqueConstraint(fields=["proposal", "user"], name="proposal_flag_unique")]


class JoinRequest(models.Model):
    """A participant's request to join a collaborative draft; its author accepts (a co-author) or rejects it."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for the author")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="join_requests")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING, db_default=State.PENDING)
    created_at = models.DateTimeField(auto_now_add=True, db_default=Now())
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["proposal", "user"], name="join_request_once")]


class AccountBlock(models.Model):
    """An account blocked from participating: its content hidden, its writes refused; removed when unblocked."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="participation_block")
    reason = models.CharField(max_length=300)
    blocked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    blocked_at = models.DateTimeField(auto_now_add=True, db_default=Now())


class ModerationDecision(models.Model):
    """What the moderators (or the reports) decided, with the public reason: the audit trail, and the notice the
    account concerned sees on its activity page."""

    class Action(models.TextChoices):
        HIDDEN = "hidden", _("Hidden")
        HIDDEN_AFTER_REPORTS = "hidden_after_reports", _("Hidden after reports")
        RESTORED = "restored", _("Shown again")
        BLOCKED = "blocked", _("Account blocked")
        UNBLOCKED = "unblocked", _("Account unblocked")

    account = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                                help_text="The account concerned (the author of the content, or the blocked account).")
    action = models.CharField(max_length=24, choices=Action.choices)
    proposal = models.ForeignKey(Proposal, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    comment = models.ForeignKey(Comment, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=300)
    moderator = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+", help_text="Empty: decided by the reports.")
    at = models.DateTimeField(auto_now_add=True, db_default=Now())

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["account", "at"], name="moderation_account_at")]


class Follow(models.Model):
    """A participant following a process, a proposal or a project (exactly one): told of what happens to it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="participation_follows")
    process = models.ForeignKey(Process, null=True, blank=True, on_delete=models.CASCADE, related_name="follows")
    proposal = models.ForeignKey(Proposal, null=True, blank=True, on_delete=models.CASCADE, related_name="follows")
    project = models.ForeignKey(Project, null=True, blank=True, on_delete=models.CASCADE, related_name="follows")
    created_at = models.DateTimeField(auto_now_add=True, db_default=Now())

    class Meta:
        ordering = ["-created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(process__isnull=False, proposal__isnull=True, project__isnull=True)
                           | Q(process__isnull=True, proposal__isnull=False, project__isnull=True)
                           | Q(process__isnull=True, proposal__isnull=True, project__isnull=False)),
                name="follow_one_target"),
            models.UniqueConstraint(fields=["user", "process"], condition=Q(process__isnull=False),
                                    name="follow_process_once"),
            models.UniqueConstraint(fields=["user", "proposal"], condition=Q(proposal__isnull=False),
                                    name="follow_proposal_once"),
            models.UniqueConstraint(fields=["user", "project"], condition=Q(project__isnull=False),
                                    name="follow_project_once"),
        ]


class NoticeSettings(models.Model):
    """How a participant is told: each notice by e-mail at once, or the day's notices in one digest; or no e-mail
    (the notifications page lists them all the same)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="participation_notice_settings")
    daily_digest = models.BooleanField(default=False, db_default=False)
    email_off = models.BooleanField(default=False, db_default=False, help_text="Unsubscribed from every e-mail.")


class NoticeEmail(models.Model):
    """An e-mail of one notice or of a day's digest, in participation's outbox: written in the transaction of what it
    tells of (or of the digest), sent once by the job queue (core.outbox)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    recipient = models.EmailField()
    subject = models.CharField(max_length=300)
    body = models.TextField()
    unsubscribe_url = models.CharField(max_length=500)
    created_at = models.DateTimeField(auto_now_add=True, db_default=Now())
    attempts = models.PositiveSmallIntegerField(default=0, db_default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True, default="", db_default="")
    sent_at = models.DateTimeField(null=True, blank=True)
    failed = models.BooleanField(default=False, db_default=False)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["sent_at", "failed", "next_attempt_at"], name="notice_email_pending")]


class Notice(models.Model):
    """One thing a participant is told of (an answer, a state change, an invitation, a phase opening, a milestone, a
    reply): listed on their notifications page, and e-mailed at once or in the day's digest."""

    class Kind(models.TextChoices):
        ANSWER = "answer", _("An answer of the city")
        STATE = "state", _("A change of state")
        INVITATION = "invitation", _("An invitation to co-author")
        PHASE = "phase", _("A phase opens")
        MILESTONE = "milestone", _("A new milestone")
        REPLY = "reply", _("A reply")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="participation_notices")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    text_el = models.CharField(max_length=500)
    text_en = models.CharField(max_length=500)
    url = models.CharField(max_length=300, help_text="The page it is about (a path on this site).")
    follow = models.ForeignKey(Follow, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                               help_text="The follow that brought it (empty: told directly, as an invitee).")
    email = models.ForeignKey(NoticeEmail, null=True, blank=True, on_delete=models.SET_NULL, related_name="notices",
                              help_text="The e-mail that told of it; empty while waiting for the day's digest.")
    digest = models.BooleanField(default=False, db_default=False, help_text="Waits for the day's digest e-mail.")
    created_at = models.DateTimeField(auto_now_add=True, db_default=Now())

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["user", "created_at"], name="notice_user_created"),
            models.Index(fields=["digest", "user"], condition=Q(digest=True), name="notice_digest_waiting"),
        ]


class PhaseAnnouncement(models.Model):
    """A phase whose opening its process's followers were told of (once)."""

    phase = models.OneToOneField(Phase, on_delete=models.CASCADE, related_name="announcement")
    announced_at = models.DateTimeField(auto_now_add=True, db_default=Now())


class SealedBallot(models.Model):
    """A voter's ballot while the vote is open, encrypted under the ballot key (AES-GCM, padded to one length), beside
    the row saying they voted (its primary key): replaced when they vote again, opened into an anonymous Ballot in a
    shuffled batch once the vote has closed, and deleted in that same transaction."""

    cast = models.OneToOneField(BallotCast, primary_key=True, on_delete=models.CASCADE, related_name="sealed")
    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="+")
    sealed = models.BinaryField()

    class Meta:
        indexes = [models.Index(fields=["budget"], name="sealed_ballot_budget")]


class Meeting(models.Model):
    """A meeting of a process, in person (an address and a point) or online (a link), with a capacity; closed by
    staff with its minutes, the number who attended and the proposals that came out of it. registered_count is the
    counter row registrations lock and move; the database refuses it above the capacity."""

    class Mode(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        ONLINE = "online", _("Online")

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="meetings")
    title_el = models.CharField("title (Greek)", max_length=200)
    title_en = models.CharField("title (English)", max_length=200)
    description_el = models.TextField("description (Greek)", blank=True, default="", db_default="")
    description_en = models.TextField("description (English)", blank=True, default="", db_default="")
    mode = models.CharField(max_length=10, choices=Mode.choices)
    address = models.CharField(max_length=300, blank=True, default="", db_default="")
    geom = models.PointField(srid=4326, null=True, blank=True)
    url = models.URLField("online link", max_length=500, blank=True, default="", db_default="")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    capacity = models.PositiveIntegerField()
    registered_count = models.PositiveIntegerField(default=0, db_default=0, editable=False)
    closed_at = models.DateTimeField(null=True, blank=True, editable=False)
    minutes_el = models.TextField("minutes (Greek)", blank=True, default="", db_default="")
    minutes_en = models.TextField("minutes (English)", blank=True, default="", db_default="")
    attendees = models.PositiveIntegerField(null=True, blank=True, editable=False)
    proposals = models.ManyToManyField(Proposal, blank=True, related_name="meetings")
    demo = models.BooleanField(default=False, db_default=False)
    created_at = models.DateTimeField(auto_now_add=True, db_default=Now())

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="meeting_ends_after_start"),
            models.CheckConstraint(condition=Q(capacity__gt=0), name="meeting_capacity_positive"),
            models.CheckConstraint(condition=Q(registered_count__lte=F("capacity")), name="meeting_not_over_capacity"),
            models.CheckConstraint(
                condition=(Q(mode="in_person", geom__isnull=False) & ~Q(address=""))
                | (Q(mode="online") & ~Q(url="")), name="meeting_place_or_link"),
        ]

    def __str__(self) -> str:
        return self.title_en or self.title_el


class MeetingRegistration(models.Model):
    """One account's place at a meeting, or on its waiting list (first come, first promoted)."""

    class Status(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        WAITING = "waiting", _("On the waiting list")
        CANCELLED = "cancelled", _("Cancelled")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="meeting_registrations")
    status = models.CharField(max_length=10, choices=Status.choices)
    created_at = models.DateTimeField(auto_now_add=True, db_default=Now())
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], condition=~Q(status="cancelled"),
                                    name="meeting_registration_one_active"),
        ]
