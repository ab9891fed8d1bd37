"""Serializers of the reporting catalogue."""
from rest_framework import serializers

from core.bodies import FlagField

from issues.models import DESCRIPTION_MAX_LENGTH, Category, Department, RoutingRule


class DepartmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Department
        fields = ["slug", "name_el", "name_en", "email", "phone"]


class CategorySerializer(serializers.ModelSerializer):
    keywords = serializers.ListField(source="keyword_list", child=serializers.CharField(), read_only=True)

    class Meta:
        model = Category
        fields = [
            "service_code", "name_el", "name_en", "group_el", "group_en", "keywords",
            "description_el", "description_en", "attributes", "target_days",
        ]


class RoutingRuleSerializer(serializers.ModelSerializer):
    category = serializers.SlugRelatedField(slug_field="service_code", read_only=True, allow_null=True)
    district = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    department = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = RoutingRule
        fields = ["category", "district", "department", "note"]


class NearbyIssueSerializer(serializers.Serializer):
    service_request_id = serializers.CharField(source="issue.pk")
    service_code = serializers.CharField(source="issue.category.service_code")
    status = serializers.CharField(source="issue.status")
    requested_datetime = serializers.DateTimeField(source="issue.created_at")
    distance_m = serializers.SerializerMethodField()
    lat = serializers.FloatField(source="issue.location.y")
    long = serializers.FloatField(source="issue.location.x")
    description = serializers.CharField(source="issue.description")

    def get_distance_m(self, obj) -> float:
        return round(obj.metres, 1)


class CommentSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    text = serializers.CharField(source="description", max_length=DESCRIPTION_MAX_LENGTH)
    author_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    created_at = serializers.DateTimeField(read_only=True)


class SupportResultSerializer(serializers.Serializer):
    service_request_id = serializers.CharField()
    supports = serializers.IntegerField()


class IssueCommentInputSerializer(serializers.Serializer):
    """The body of a citizen's comment on an issue."""

    text = serializers.CharField(max_length=DESCRIPTION_MAX_LENGTH)
    author_name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    api_key = serializers.CharField(required=False, allow_blank=True, help_text="an Open311 API key (or X-Api-Key)")


class IssueSupportInputSerializer(serializers.Serializer):
    """The body of a "me too"."""

    device_id = serializers.CharField(max_length=100, required=False, allow_blank=True, default="",
                                      help_text="required when not signed in")
    api_key = serializers.CharField(required=False, allow_blank=True, help_text="an Open311 API key (or X-Api-Key)")


class IssueActionInputSerializer(serializers.Serializer):
    """The body of a workflow action; each action reads the fields it needs."""

    note = serializers.CharField(required=False, allow_blank=True, default="",
                                 help_text="resolve, duplicate, public_update, internal_note (and any transition)")
    public = FlagField(required=False, default=True, help_text="whether a transition's note is shown to the reporter")
    reason = serializers.CharField(required=False, allow_blank=True, default="", help_text="close, reassign")
    department = serializers.CharField(required=False, allow_blank=True, default="", help_text="reassign: a department slug")
    duplicate_of = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=2**62,
                                            help_text="duplicate: the id of the original issue")
    photo = serializers.FileField(required=False, allow_null=True, help_text="resolve: a photo of the work done (multipart)")
    version = serializers.CharField(required=False, allow_blank=True, default="",
                                    help_text="the issue's version number (e.g. 3), when there is no If-Match header")
