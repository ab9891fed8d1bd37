"""Departments, Open311 service categories and the rules that route a category in a district to a department."""
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q

from layers.models import District

from .attributes import validate_attribute_definitions


class Department(models.Model):
    """A municipal department that receives and works on reports."""

    slug = models.SlugField(max_length=64, unique=True)
    name_el = models.CharField("name (Greek)", max_length=200)
    name_en = models.CharField("name (English)", max_length=200)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=32, blank=True)
    active = models.BooleanField(default=True)

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
    keywords = models.CharField(max_length=500, blank=True, help_text="Comma-separated, Greek and English.")
    description_el = models.TextField("description (Greek)", blank=True)
    description_en = models.TextField("description (English)", blank=True)
    attributes = models.JSONField(
        default=list,
        blank=True,
        validators=[validate_attribute_definitions],
        help_text="Open311 attribute definitions: a list of {code, datatype, required, description, order, values}.",
    )
    target_days = models.PositiveSmallIntegerField(
        default=7, validators=[MinValueValidator(1)], help_text="Days within which a report should be resolved."
    )
    active = models.BooleanField(default=True)

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
    note = models.CharField(max_length=200, blank=True)

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
