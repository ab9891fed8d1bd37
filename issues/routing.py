"""Routing a report: the district from where it is, the department from the most specific rule."""
from dataclasses import dataclass

from django.conf import settings
from django.contrib.gis.geos import Point
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core.errors import ServiceError

from layers.models import District, Municipality
from layers.selectors import district_for_point, nearest_district_within

from .models import Category, Department
from .selectors import routing_rule_for


class OutsideMunicipality(ServiceError):
    """The point lies outside the served municipality (and beyond the tolerance of its boundary): 400
    `out_of_area`, naming the neighbour that covers it (`neighbour`: its code and name in both languages)."""

    code = "out_of_area"

    def __init__(self, neighbour: Municipality | None):
        self.neighbour = neighbour
        home = Municipality.objects.filter(code=settings.HOME_MUNICIPALITY_CODE).first()
        home_name = _local_name(home) if home else settings.HOME_MUNICIPALITY_NAME_EN
        if neighbour is None:
            message = _("location is outside the %(home)s") % {"home": home_name}
        else:
            message = _("location is outside the %(home)s: it lies in %(neighbour)s (%(code)s)") % {
                "home": home_name, "neighbour": _local_name(neighbour), "code": neighbour.code}
        extra = {"neighbour": {"code": neighbour.code, "name_el": neighbour.name_el, "name_en": neighbour.name_en}} \
            if neighbour is not None else {}
        super().__init__(message, parameter="location", **extra)

    def __str__(self) -> str:
        return str(self.message)  # the message names the location itself


def _local_name(area: Municipality) -> str:
    """The area's name in the active language ."""
    return area.name_el if (get_language() or "").startswith("el") else area.name


@dataclass(frozen=True)
class RoutingDecision:
    district: District | None
    department: Department
    explanation: str


def route_report(*, category: Category, point: Point, tolerance_m: float | None = None) -> RoutingDecision:
    """Decide district and department for a report at point; raise OutsideMunicipality when it is outside."""
    tolerance_m = settings.ROUTING_BOUNDARY_TOLERANCE_M if tolerance_m is None else tolerance_m
    place = district_for_point(point)
    district = place.district
    if district is not None:
        where = f"district {district.code} ({district.name}) covers the point"
    else:
        near = nearest_district_within(point, tolerance_m=tolerance_m) if tolerance_m > 0 else None
        if near is not None:
            district = near.district
            where = (
                f"snapped to district {district.code} ({district.name}), {near.metres:.0f} m away, "
                f"within the {tolerance_m:g} m boundary tolerance"
            )
        elif place.in_home_municipality:
            where = "the point is in the municipality but in no district"
        else:
            raise OutsideMunicipality(place.municipality)
    rule = routing_rule_for(category=category, district=district)
    if rule is None:
        raise LookupError("no routing rule applies and there is no fallback rule: add one with neither category nor district")
    return RoutingDecision(
        district=district,
        department=rule.department,
        explanation=f"{where}; rule '{rule.scope_label}' routes to {rule.department.slug}",
    )
