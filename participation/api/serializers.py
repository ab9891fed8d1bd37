"""The shapes of the participation API's answers and of the bodies it reads with is_valid() (also its OpenAPI schema). Never an author's, supporter's or
voter's identity: a participant sees only flags about themselves (is_author, supported_by_me)."""
import json

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.bodies import FlagField, GeometryField

from .. import phases
from ..models import (
    Budget, Comment, JoinRequest, ModerationDecision, Notice, Phase, Process, Project, Proposal, ProposalCategory,
    ProposalEvent,
)
from ..places import PLACE_TYPES
from ..services.proposals import ANSWERS, MAX_BODY, MAX_TITLE


class GeoJSONGeometryField(serializers.Field):
    def to_representation(self, value):
        return json.loads(value.json) if value is not None else None


GeoJSONGeometryField = extend_schema_field({
    "type": "object", "nullable": True, "description": "GeoJSON geometry (WGS84): Point, LineString, Polygon ...",
    "properties": {"type": {"type": "string"}, "coordinates": {"type": "array", "items": {}}},
})(GeoJSONGeometryField)


class DistrictRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    name_el = serializers.CharField()
    name_en = serializers.CharField()


class PhaseSerializer(serializers.ModelSerializer):
    actions = serializers.SerializerMethodField(help_text="What participants may do in this phase.")

    class Meta:
        model = Phase
        fields = ["kind", "position", "starts_at", "ends_at", "actions"]

    def get_actions(self, phase) -> list[str]:
        return [a for a in phases.ACTIONS if a in phases.PHASE_ACTIONS[phase.kind]]


class BudgetSummarySerializer(serializers.ModelSerializer):
    district = DistrictRefSerializer(allow_null=True)

    class Meta:
        model = Budget
        fields = ["id", "title_el", "title_en", "district", "amount", "rule", "minimum_share", "max_projects"]


class ProcessSerializer(serializers.ModelSerializer):
    phases = PhaseSerializer(many=True)
    districts = DistrictRefSerializer(many=True, help_text="Empty: the whole city.")
    current_phase = serializers.SerializerMethodField()
    allowed_actions = serializers.SerializerMethodField()
    budgets = BudgetSummarySerializer(many=True)
    requirements = serializers.SerializerMethodField()

    class Meta:
        model = Process
        fields = ["slug", "kind", "title_el", "title_en", "description_el", "description_en", "districts", "phases",
                  "current_phase", "allowed_actions", "support_cap", "support_threshold", "requirements", "budgets",
                  "components", "demo"]

    def get_current_phase(self, process) -> str | None:
        phase = phases.current_phase(process)
        return phase.kind if phase else None

    def get_allowed_actions(self, process) -> list[str]:
        return phases.allowed_actions(process)

    @extend_schema_field({"type": "object", "additionalProperties": {"type": "string"},
                          "description": "action → account, verified or verified_in_scope"})
    def get_requirements(self, process) -> dict:
        return {"propose": process.propose_requirement, "support": process.support_requirement,
                "comment": process.comment_requirement, "vote": process.vote_requirement}


class DistrictShareSerializer(serializers.Serializer):
    code = serializers.CharField(source="district.code")
    name_el = serializers.CharField(source="district.name_el")
    name_en = serializers.CharField(source="district.name_en")
    share = serializers.FloatField(help_text="Share of the line's length or polygon's area; 1 for a point.")


class PhotoSerializer(serializers.Serializer):
    url = serializers.SerializerMethodField()
    thumbnail_url = serializers.SerializerMethodField()
    width = serializers.IntegerField()
    height = serializers.IntegerField()

    def get_url(self, photo) -> str:
        return photo.photo.url

    def get_thumbnail_url(self, photo) -> str:
        return photo.thumbnail.url


class ProposalSerializer(serializers.ModelSerializer):
    process = serializers.CharField(source="process.slug")
    category = serializers.CharField(source="category.slug", allow_null=True, default=None)
    category_el = serializers.CharField(source="category.name_el", allow_null=True, default=None)
    category_en = serializers.CharField(source="category.name_en", allow_null=True, default=None)
    place = GeoJSONGeometryField(source="geom")
    geometry_kind = serializers.CharField()
    districts = DistrictShareSerializer(source="district_shares", many=True)
    photos = PhotoSerializer(many=True)
    comment_count = serializers.IntegerField()
    from_issue = serializers.IntegerField(source="from_issue_id", allow_null=True)
    is_author = serializers.SerializerMethodField()
    supported_by_me = serializers.SerializerMethodField()

    class Meta:
        model = Proposal
        fields = ["id", "process", "title", "body", "category", "category_el", "category_en", "state", "answer",
                  "cost_estimate", "feasibility", "support_count", "comment_count", "geometry_kind", "place",
                  "districts", "photos", "from_issue", "published_at", "created_at", "updated_at", "is_author",
                  "supported_by_me", "open_for_collaboration", "hidden", "hidden_reason"]

    hidden = serializers.SerializerMethodField(help_text="Hidden by the moderators (its author and staff still see it).")

    def get_hidden(self, proposal) -> bool:
        return proposal.hidden_at is not None

    def get_is_author(self, proposal) -> bool:
        user = self.context.get("user")
        return bool(user and user.is_authenticated and proposal.author_id == user.id)

    def get_supported_by_me(self, proposal) -> bool:
        return proposal.id in self.context.get("supported", set())


class ProposalSummarySerializer(serializers.ModelSerializer):
    process = serializers.CharField(source="process.slug")
    hidden = serializers.SerializerMethodField()

    class Meta:
        model = Proposal
        fields = ["id", "process", "title", "state", "open_for_collaboration", "hidden", "hidden_reason", "updated_at"]

    def get_hidden(self, proposal) -> bool:
        return proposal.hidden_at is not None


class ProposalEventSerializer(serializers.ModelSerializer):
    place = GeoJSONGeometryField(source="geom")
    by_city = serializers.BooleanField(source="staff")

    class Meta:
        model = ProposalEvent
        fields = ["at", "kind", "from_state", "to_state", "reason", "title", "body", "place", "by_city"]


class ProposalCommentSerializer(serializers.ModelSerializer):
    parent = serializers.IntegerField(source="parent_id", allow_null=True)
    body = serializers.SerializerMethodField(help_text="Empty when the comment is hidden.")
    hidden = serializers.SerializerMethodField()
    is_author = serializers.SerializerMethodField()

    class Meta:
        model = Comment
        fields = ["id", "parent", "body", "created_at", "hidden", "hidden_reason", "is_author"]

    def get_body(self, comment) -> str:
        return "" if comment.hidden_at else comment.body

    def get_hidden(self, comment) -> bool:
        return comment.hidden_at is not None

    def get_is_author(self, comment) -> bool:
        user = self.context.get("user")
        return bool(user and user.is_authenticated and comment.author_id == user.id)


class ProjectSerializer(serializers.ModelSerializer):
    place = GeoJSONGeometryField(source="geom")
    proposal = serializers.IntegerField(source="proposal_id", allow_null=True)

    class Meta:
        model = Project
        fields = ["id", "title_el", "title_en", "cost", "proposal", "place", "selected"]


class BudgetSerializer(BudgetSummarySerializer):
    process = serializers.CharField(source="process.slug")
    projects = ProjectSerializer(many=True)

    class Meta(BudgetSummarySerializer.Meta):
        fields = BudgetSummarySerializer.Meta.fields + ["process", "projects"]


class ResultRowSerializer(serializers.Serializer):
    rank = serializers.IntegerField()
    project_id = serializers.IntegerField()
    title_el = serializers.CharField()
    title_en = serializers.CharField()
    cost = serializers.IntegerField()
    votes = serializers.IntegerField()
    proposal_id = serializers.IntegerField(allow_null=True)
    selected = serializers.BooleanField()


class BudgetResultsSerializer(serializers.Serializer):
    budget = serializers.IntegerField(source="budget.id")
    title_el = serializers.CharField(source="budget.title_el")
    title_en = serializers.CharField(source="budget.title_en")
    district = DistrictRefSerializer(source="budget.district", allow_null=True)
    amount = serializers.IntegerField(source="budget.amount")
    rule = serializers.CharField(source="budget.rule")
    ballots = serializers.IntegerField()
    spent = serializers.IntegerField()
    tie_rule = serializers.CharField()
    projects = ResultRowSerializer(source="rows", many=True)


class BallotSerializer(serializers.Serializer):
    budget = serializers.IntegerField()
    projects = serializers.ListField(child=serializers.IntegerField(), allow_null=True,
                                     help_text="Your chosen projects; null when you have not voted, or once the "
                                               "count has made the ballots anonymous.")
    total_cost = serializers.IntegerField()
    voted = serializers.BooleanField(help_text="You voted in this budget.")


class BallotInputSerializer(serializers.Serializer):
    projects = serializers.ListField(child=serializers.IntegerField(), help_text="the ids of the chosen projects")


class SimilarProposalSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    state = serializers.CharField()
    support_count = serializers.IntegerField()
    metres = serializers.FloatField(allow_null=True, help_text="Distance of the places; null without both.")
    wording = serializers.FloatField(help_text="Trigram similarity of the wording, 0 to 1.")


class NearbyReportSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    service_code = serializers.CharField()
    category_en = serializers.CharField()
    category_el = serializers.CharField()
    status = serializers.CharField()
    created_at = serializers.DateTimeField()
    lon = serializers.FloatField()
    lat = serializers.FloatField()
    metres = serializers.FloatField()


class VerificationSerializer(serializers.Serializer):
    residence_verified = serializers.BooleanField()
    district = DistrictRefSerializer(allow_null=True)
    email_confirmed = serializers.BooleanField()
    verified = serializers.BooleanField()
    minimum_age = serializers.IntegerField()


class ProposalCategorySerializer(serializers.Serializer):
    slug = serializers.CharField()
    name_el = serializers.CharField()
    name_en = serializers.CharField()


class ProposalInputSerializer(serializers.Serializer):
    """The body of a new proposal, or of an edit (partial: any of the fields)."""

    title = serializers.CharField(max_length=MAX_TITLE)
    body = serializers.CharField(max_length=MAX_BODY)
    category = serializers.SlugRelatedField(
        slug_field="slug", queryset=ProposalCategory.objects.all(), required=False, allow_null=True,
        help_text="A category slug.",
        error_messages={"does_not_exist": "no category '{value}'; GET /api/participation/categories lists them"})
    place = GeometryField(types=PLACE_TYPES, required=False, allow_null=True,
                          help_text=f"A GeoJSON geometry ({', '.join(PLACE_TYPES)}) in WGS84; null: city-wide.")
    publish = FlagField(required=False, default=False, help_text="publish at once; otherwise a draft")


class SimilarInputSerializer(serializers.Serializer):
    """Before publishing: the title, body and place of the proposal being written."""

    title = serializers.CharField()
    body = serializers.CharField(required=False, allow_blank=True, default="")
    place = GeometryField(types=PLACE_TYPES, required=False, allow_null=True)


# ids and euros a client may send: whole numbers the database's bigint holds
ID = {"min_value": 1, "max_value": 2**62}


class FromReportInputSerializer(serializers.Serializer):
    issue_id = serializers.IntegerField(**ID)
    title = serializers.CharField(required=False, allow_blank=True, default="")


class AnswerInputSerializer(serializers.Serializer):
    state = serializers.ChoiceField(choices=list(ANSWERS))
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    cost_estimate = serializers.IntegerField(required=False, allow_null=True, **ID, help_text="euros")
    feasibility = serializers.CharField(required=False, allow_blank=True, default="")
    department = serializers.CharField(required=False, allow_blank=True, default="", max_length=64,
                                       help_text="evaluated: the responsible department's slug (it evaluates and "
                                                 "carries out the proposal); empty: unchanged")


class CoAuthorInputSerializer(serializers.Serializer):
    username = serializers.CharField()


class CommentInputSerializer(serializers.Serializer):
    body = serializers.CharField()
    parent = serializers.IntegerField(required=False, allow_null=True, **ID, help_text="the comment answered")


class FlagInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300, help_text="What is wrong with it, for the moderators.")


class WithdrawInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=1000, help_text="Why you withdraw it; kept in its history.")


class ModerationInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300, help_text="Public; the author is told.")


class BlockInputSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    reason = serializers.CharField(max_length=300, help_text="Recorded and shown to the account.")


class CollaborationInputSerializer(serializers.Serializer):
    open = FlagField(help_text="true: others may ask to join the draft; false: closed to new requests.")


class JoinAnswerInputSerializer(serializers.Serializer):
    accept = FlagField(help_text="true: the account becomes a co-author; false: the request is rejected.")


class JoinRequestSerializer(serializers.ModelSerializer):
    proposal = serializers.IntegerField(source="proposal_id")
    proposal_title = serializers.CharField(source="proposal.title")
    username = serializers.CharField(source="user.username", help_text="Shown to the draft's author only.")

    class Meta:
        model = JoinRequest
        fields = ["id", "proposal", "proposal_title", "username", "state", "created_at", "answered_at"]


class InvitationSerializer(serializers.Serializer):
    proposal = serializers.IntegerField(source="proposal_id")
    proposal_title = serializers.CharField(source="proposal.title")
    invited_by = serializers.CharField(source="invited_by.username")
    invited_at = serializers.DateTimeField()


class InboxSerializer(serializers.Serializer):
    invitations = InvitationSerializer(many=True)
    join_requests = JoinRequestSerializer(many=True, help_text="Requests to join your drafts, not answered yet.")
    my_requests = JoinRequestSerializer(many=True, help_text="Your requests to join others' drafts.")


class DecisionSerializer(serializers.ModelSerializer):
    proposal = serializers.IntegerField(source="proposal_id", allow_null=True)
    comment = serializers.IntegerField(source="comment_id", allow_null=True)

    class Meta:
        model = ModerationDecision
        fields = ["action", "proposal", "comment", "reason", "at"]


class ActivitySupportSerializer(serializers.Serializer):
    proposal = serializers.IntegerField(source="proposal_id")
    proposal_title = serializers.CharField(source="proposal.title")
    process = serializers.CharField(source="process.slug")
    created_at = serializers.DateTimeField()


class ActivityCommentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    proposal = serializers.IntegerField(source="proposal_id")
    body = serializers.CharField()
    hidden = serializers.SerializerMethodField(help_text="Hidden by the moderators.")
    created_at = serializers.DateTimeField()

    def get_hidden(self, comment) -> bool:
        return comment.hidden_at is not None


class ActivityBallotSerializer(serializers.Serializer):
    budget = serializers.IntegerField(source="budget_id")
    budget_title_el = serializers.CharField(source="budget.title_el")
    budget_title_en = serializers.CharField(source="budget.title_en")
    process = serializers.CharField(source="budget.process.slug")
    month = serializers.DateField(help_text="The month of the vote (who voted is kept by the month only).")


class ActivitySerializer(serializers.Serializer):
    proposals = ProposalSummarySerializer(many=True)
    supports = ActivitySupportSerializer(many=True)
    comments = ActivityCommentSerializer(many=True)
    ballots = ActivityBallotSerializer(many=True, help_text="The budgets you voted in; your choices are on each ballot "
                                                             "(GET /api/participation/budgets/{id}/ballot).")
    decisions = DecisionSerializer(many=True, help_text="The moderators' decisions about your content or account.")
    blocked_reason = serializers.SerializerMethodField()

    def get_blocked_reason(self, activity) -> str | None:
        return activity.block.reason if activity.block else None


class QueueFlagSerializer(serializers.Serializer):
    reason = serializers.CharField()
    verified = serializers.BooleanField()
    created_at = serializers.DateTimeField()


class QueueProposalSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    author = serializers.CharField(source="author.username")
    flag_count = serializers.IntegerField()
    hidden_reason = serializers.CharField()
    hidden_at = serializers.DateTimeField(allow_null=True)
    flags = QueueFlagSerializer(many=True)


class QueueCommentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    proposal = serializers.IntegerField(source="proposal_id")
    body = serializers.CharField()
    author = serializers.CharField(source="author.username")
    flag_count = serializers.IntegerField()
    hidden_reason = serializers.CharField()
    hidden_at = serializers.DateTimeField(allow_null=True)
    flags = QueueFlagSerializer(many=True)


class QueueBlockSerializer(serializers.Serializer):
    username = serializers.CharField(source="user.username")
    reason = serializers.CharField()
    blocked_at = serializers.DateTimeField()


class ModerationQueueSerializer(serializers.Serializer):
    proposals = QueueProposalSerializer(many=True)
    comments = QueueCommentSerializer(many=True)
    blocks = QueueBlockSerializer(many=True)


class HideInputSerializer(serializers.Serializer):
    reason = serializers.CharField()


class ProjectInputSerializer(serializers.Serializer):
    cost = serializers.IntegerField(**ID, help_text="euros")
    proposal_id = serializers.IntegerField(required=False, allow_null=True, **ID)
    title_el = serializers.CharField(required=False, allow_blank=True, default="")
    title_en = serializers.CharField(required=False, allow_blank=True, default="")


class ResidenceInputSerializer(serializers.Serializer):
    identifier = serializers.CharField(help_text="the identity-card number, as on the card")
    date_of_birth = serializers.DateField(input_formats=["iso-8601"])


class EmailInputSerializer(serializers.Serializer):
    email = serializers.EmailField()


class EmailCodeInputSerializer(serializers.Serializer):
    code = serializers.CharField()


FIGURE_TYPES = OpenApiTypes.OBJECT


class PublishedResultsSerializer(serializers.Serializer):
    budget = serializers.IntegerField(source="budget.id")
    published_at = serializers.DateTimeField()
    changed = serializers.BooleanField(help_text="false: published before, nothing changed")
    ballots = serializers.IntegerField()
    selected_projects = serializers.ListField(child=serializers.IntegerField())
    selected_proposals = serializers.ListField(child=serializers.IntegerField(),
                                               help_text="the proposals that became selected by this publication")
    message = serializers.CharField()


class FollowSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    process = serializers.CharField(source="process.slug", allow_null=True, read_only=True, help_text="a process's slug")
    proposal = serializers.IntegerField(source="proposal_id", allow_null=True)
    project = serializers.IntegerField(source="project_id", allow_null=True)
    title = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()

    def get_title(self, follow) -> str:
        target = follow.process or follow.proposal or follow.project
        return getattr(target, "title", None) or getattr(target, "title_en", "")


class FollowInputSerializer(serializers.Serializer):
    """Exactly one of the three."""
    process = serializers.SlugField(required=False, help_text="a process's slug")
    proposal = serializers.IntegerField(required=False, **ID, help_text="a public proposal's id")
    project = serializers.IntegerField(required=False, **ID, help_text="a project's id")


class NoticeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=Notice.Kind.choices)
    text_el = serializers.CharField()
    text_en = serializers.CharField()
    url = serializers.CharField()
    created_at = serializers.DateTimeField()
    emailed = serializers.SerializerMethodField(help_text="e-mailed already; false: waits for the day's digest, or "
                                                          "e-mail is off")

    def get_emailed(self, notice) -> bool:
        return notice.email_id is not None


class NoticeSettingsSerializer(serializers.Serializer):
    daily_digest = FlagField(help_text="the day's notices in one e-mail instead of one e-mail each")
    email = FlagField(default=True, help_text="false: no e-mail at all (the notifications page lists them)")


class NotificationsSerializer(serializers.Serializer):
    daily_digest = serializers.BooleanField()
    email = serializers.BooleanField()
    notices = NoticeSerializer(many=True)
