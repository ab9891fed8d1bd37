"""Serializers of the reference geography: GeoJSON features of municipalities and districts."""
from rest_framework import serializers
from rest_framework_gis.serializers import GeoFeatureModelSerializer

from layers.models import District, Municipality, Place


class MunicipalityFeatureSerializer(GeoFeatureModelSerializer):
    class Meta:
        model = Municipality
        geo_field = "geom"
        id_field = "code"
        fields = ["code", "name_el", "name_en", "provenance"]


class DistrictFeatureSerializer(GeoFeatureModelSerializer):
    municipality = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = District
        geo_field = "geom"
        id_field = "code"
        fields = ["code", "name_el", "name_en", "municipality", "provenance"]


class PlaceFeatureSerializer(GeoFeatureModelSerializer):
    class Meta:
        model = Place
        geo_field = "geom"
        fields = ["id", "kind", "name_el", "name_en"]


class AreaRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    name_el = serializers.CharField()
    name_en = serializers.CharField()


class LocateResultSerializer(serializers.Serializer):
    lon = serializers.FloatField()
    lat = serializers.FloatField()
    inside = serializers.BooleanField(help_text="Whether the point lies in the served municipality.")
    district = AreaRefSerializer(allow_null=True)
    municipality = AreaRefSerializer(allow_null=True, help_text="The served municipality, or the neighbour covering the point.")
    message = serializers.CharField()
