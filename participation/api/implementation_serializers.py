"""The shapes of the implementation API's answers and of the bodies it reads with is_valid() (also its OpenAPI
schema): records with status, progress, dates, money and department; milestones with their photos."""
from rest_framework import serializers

from ..models import Implementation, ImplementationStatus, Milestone
from ..services.implementation import MAX_EUROS, MAX_MILESTONE_TEXT
from .serializers import ID, GeoJSONGeometryField, PhotoSerializer


class MilestoneSerializer(serializers.ModelSerializer):
    date = serializers.DateField(source="on")
    photos = PhotoSerializer(many=True)

    class Meta:
        model = Milestone
        fields = ["id", "date", "text_el", "text_en", "photos"]


class DepartmentRefSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name_el = serializers.CharField()
    name_en = serializers.CharField()


class ImplementationSerializer(serializers.ModelSerializer):
    process = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    district = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    department = DepartmentRefSerializer(allow_null=True)
    year = serializers.IntegerField(allow_null=True, help_text="of its end, else its start, else when recorded")
    place = GeoJSONGeometryField(source="geom")
    status_label = serializers.CharField(source="get_status_display")

    class Meta:
        model = Implementation
        fields = ["id", "process", "proposal", "project", "title_el", "title_en", "status", "status_label", "progress",
                  "starts_on", "ends_on", "year", "cost", "spent", "department", "cancel_reason", "district", "place",
                  "demo", "updated_at"]


class ImplementationDetailSerializer(ImplementationSerializer):
    milestones = MilestoneSerializer(many=True)

    class Meta(ImplementationSerializer.Meta):
        fields = ImplementationSerializer.Meta.fields + ["milestones"]


class ImplementationStartInputSerializer(serializers.Serializer):
    project_id = serializers.IntegerField(required=False, allow_null=True, **ID,
                                          help_text="a project the vote selected")
    proposal_id = serializers.IntegerField(required=False, allow_null=True, **ID,
                                           help_text="an accepted proposal (when no project is named)")


class ImplementationInputSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=ImplementationStatus.values, required=False)
    progress = serializers.IntegerField(required=False, min_value=0, max_value=100, help_text="per cent")
    starts_on = serializers.DateField(required=False, allow_null=True, input_formats=["iso-8601"])
    ends_on = serializers.DateField(required=False, allow_null=True, input_formats=["iso-8601"],
                                    help_text="required once done")
    spent = serializers.IntegerField(required=False, min_value=0, max_value=MAX_EUROS, help_text="euros")
    department = serializers.CharField(required=False, allow_blank=True, allow_null=True, max_length=64,
                                       help_text="the responsible department's slug; empty: none")
    cancel_reason = serializers.CharField(required=False, allow_blank=True, max_length=2000,
                                          help_text="required when cancelled; published")


class MilestoneInputSerializer(serializers.Serializer):
    date = serializers.DateField(input_formats=["iso-8601"], help_text="not before the project's start")
    text_el = serializers.CharField(required=False, allow_blank=True, default="", max_length=MAX_MILESTONE_TEXT)
    text_en = serializers.CharField(required=False, allow_blank=True, default="", max_length=MAX_MILESTONE_TEXT)
