"""The shapes of the meetings API's answers and of the bodies it reads (also its OpenAPI schema)."""
from rest_framework import serializers

from ..models import Meeting, MeetingRegistration
from .serializers import ID, GeoJSONGeometryField

MAX_MINUTES = 20000


class MeetingSerializer(serializers.ModelSerializer):
    process = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    place = GeoJSONGeometryField(source="geom", allow_null=True)
    registered = serializers.IntegerField(source="registered_count")
    waiting = serializers.IntegerField(help_text="on the waiting list")
    closed = serializers.SerializerMethodField()
    proposals = serializers.PrimaryKeyRelatedField(many=True, read_only=True,
                                                   help_text="the proposals that came out of the meeting")

    class Meta:
        model = Meeting
        fields = ["id", "process", "title_el", "title_en", "description_el", "description_en", "mode", "address",
                  "place", "url", "starts_at", "ends_at", "capacity", "registered", "waiting", "closed", "attendees",
                  "minutes_el", "minutes_en", "proposals", "demo"]

    def get_closed(self, meeting) -> bool:
        return meeting.closed_at is not None


class RegistrationSerializer(serializers.ModelSerializer):
    meeting = serializers.PrimaryKeyRelatedField(read_only=True)
    waiting_position = serializers.IntegerField(allow_null=True, help_text="1: the first on the waiting list")

    class Meta:
        model = MeetingRegistration
        fields = ["meeting", "status", "waiting_position", "created_at"]


class RegistrationInputSerializer(serializers.Serializer):
    waiting_list = serializers.BooleanField(required=False, default=False,
                                            help_text="when the meeting is full, take a place on its waiting list")


class MeetingCloseInputSerializer(serializers.Serializer):
    attendees = serializers.IntegerField(min_value=0, max_value=100000, help_text="how many attended")
    minutes_el = serializers.CharField(required=False, allow_blank=True, default="", max_length=MAX_MINUTES)
    minutes_en = serializers.CharField(required=False, allow_blank=True, default="", max_length=MAX_MINUTES)
    proposal_ids = serializers.ListField(child=serializers.IntegerField(**ID), required=False, default=list,
                                         max_length=200, help_text="proposals of the process that came out of it")
