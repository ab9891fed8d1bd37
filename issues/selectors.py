"""Reads of the reporting catalogue: which routing rule decides a report's department."""
from django.db.models import F, Q

from layers.models import District

from .models import Category, RoutingRule


def routing_rule_for(*, category: Category | None, district: District | None) -> RoutingRule | None:
    """The most specific rule: category in district, then category anywhere, then the fallback."""
    scopes = Q(category__isnull=True, district__isnull=True)
    if category is not None:
        scopes |= Q(category=category, district__isnull=True)
        if district is not None:
            scopes |= Q(category=category, district=district)
    return (
        RoutingRule.objects.filter(scopes)
        .select_related("department", "category", "district")
        .order_by(F("category").asc(nulls_last=True), F("district").asc(nulls_last=True))
        .first()
    )


def categories_grouped():
    """Active categories in group order, for the services list and the report form."""
    return Category.objects.filter(active=True).order_by("group_en", "name_en")
