"""Which figures a request asks for (period, department, district, category) and whether its user may see them;
read by the figures API and the printable figures page alike."""
from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from core.params import ParameterError, optional_datetime
from issues import permissions, stats
from issues.models import Category, Department
from layers.models import District


def stats_scope(user, params) -> stats.StatsScope:
    """The figures' scope from from, to, department, district and category; ParameterError (400) for a bad
    parameter, PermissionDenied (403) when this user may not see those figures."""
    end = optional_datetime(params, "to") or timezone.now()
    start = optional_datetime(params, "from") or end - timedelta(days=365)
    if end <= start:
        raise ParameterError("to", "must be after from")
    department = _lookup(Department, "slug", params.get("department"), "department")
    allowed, department = permissions.kpi_scope(user, department)
    if not allowed:
        raise PermissionDenied("the figures are for administrators, civil-protection planners and a department's managers "
                               "(give department= when you manage several)")
    return stats.StatsScope(start=start, end=end, department=department,
                            district=_lookup(District, "code", params.get("district"), "district"),
                            category=_lookup(Category, "service_code", params.get("category"), "category"))


def _lookup(model, field, value, name):
    if not value:
        return None
    found = model.objects.filter(**{field: value}).first()
    if found is None:
        raise ParameterError(name, f"no {name} {value[:40]!r}")
    return found



def hotspot_scope(user, params) -> dict:
    """Department and category of the hotspot and heat-map queries, for those who may see them."""
    department = _lookup(Department, "slug", params.get("department"), "department")
    allowed, department = permissions.kpi_scope(user, department)
    if not allowed:
        raise PermissionDenied("hotspots are for administrators, civil-protection planners and a department's managers")
    return {"department": department, "category": _lookup(Category, "service_code", params.get("category"), "category")}
