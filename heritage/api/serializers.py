"""Representations of heritage records in the REST API, and the list filters' checks."""
from rest_framework import serializers

from ..models import CulturalObject, MediaFile, Organisation, SameAs
from ..vocabularies import EDM_TYPE_CHOICES, PERIOD_CHOICES


class OrganisationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["slug", "name_el", "name_en", "kind", "website"]


class SameAsSerializer(serializers.ModelSerializer):
    class Meta:
        model = SameAs
        fields = ["scheme", "identifier", "source"]


class MediaFileSerializer(serializers.ModelSerializer):
    class Meta:
        model = MediaFile
        fields = ["path", "mime", "width", "height", "attribution"]


class CulturalObjectSerializer(serializers.ModelSerializer):
    organisation = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    site = serializers.SerializerMethodField(help_text="The slug of the heritage site it belongs to, if any.")
    lon = serializers.SerializerMethodField(help_text="A point on its place (its own, else its site's), WGS84.")
    lat = serializers.SerializerMethodField(help_text="A point on its place (its own, else its site's), WGS84.")
    same_as = SameAsSerializer(many=True, read_only=True)
    media = MediaFileSerializer(many=True, read_only=True)

    class Meta:
        model = CulturalObject
        fields = ["identifier", "organisation", "site", "describes_monument", "kind", "edm_type", "title_el",
                  "title_en", "description_el", "description_en", "subjects", "period", "date", "lon", "lat",
                  "creator", "rights", "attribution", "provenance", "same_as", "media", "created", "modified"]

    def get_site(self, obj) -> str | None:
        return obj.monument.site.slug if obj.monument_id else None

    def get_lon(self, obj) -> float:
        return round(obj.point.x, 6)

    def get_lat(self, obj) -> float:
        return round(obj.point.y, 6)


class ObjectFilterSerializer(serializers.Serializer):
    period = serializers.ChoiceField(choices=PERIOD_CHOICES, required=False)
    edm_type = serializers.ChoiceField(choices=EDM_TYPE_CHOICES, required=False)
    organisation = serializers.SlugField(required=False, help_text="an organisation's slug")
    site = serializers.SlugField(required=False, help_text="a heritage site's slug")


class WithdrawnSerializer(serializers.Serializer):
    detail = serializers.CharField()
    withdrawn = serializers.DateTimeField()
