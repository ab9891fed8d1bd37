"""Reading the implementation records: the public list (a published process's records) with their year, one record
with its milestones and photos, and the choices of the map's filters."""
from django.db.models import Count, DateField, IntegerField, Prefetch, QuerySet
from django.db.models.functions import Cast, Coalesce, ExtractYear
from django.utils.translation import gettext as _

from .errors import NotFound
from .models import Implementation, Milestone, Process


def implementations_public() -> QuerySet:
    """Every record of a published process, with `year` (of its end, else its start, else when it was recorded, as
    the map layer's) and its milestones counted."""
    return (Implementation.objects.filter(process__published=True)
            .select_related("process", "district", "department")
            .annotate(year=Cast(ExtractYear(Coalesce("ends_on", "starts_on", Cast("created_at", DateField()))),
                                IntegerField()),
                      milestone_count=Count("milestones", distinct=True)))


def implementation_public(implementation_id: int) -> Implementation:
    """One record with its milestones and their photos; 404 when there is none in a published process."""
    record = (implementations_public().prefetch_related(
        Prefetch("milestones", queryset=Milestone.objects.prefetch_related("photos"))).filter(pk=implementation_id)
        .first())
    if record is None:
        raise NotFound(_("no implementation %(id)s") % {"id": implementation_id})
    return record


def implementation_filter_choices() -> dict:
    """The years, districts and processes the records have, for the map's filters."""
    records = implementations_public()
    years = sorted({y for y in records.values_list("year", flat=True) if y}, reverse=True)
    districts = {(r["district__code"], r["district__name_el"], r["district__name_en"])
                 for r in records.filter(district__isnull=False).values("district__code", "district__name_el",
                                                                        "district__name_en")}
    processes = Process.objects.filter(published=True, implementations__isnull=False).distinct().order_by("slug")
    return {"years": years, "districts": sorted(districts), "processes": list(processes)}
