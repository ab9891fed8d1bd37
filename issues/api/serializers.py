"""Serializers of the reporting catalogue."""
from rest_framework import serializers

from issues.models import Category, Department, RoutingRule


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
