"""The roadmap's figures of the heritage portal, each with its definition: organisations, sites and digitised objects
available, visitors per month, and reuse per month (IIIF manifests, IIIF info.json, OAI-PMH harvests)."""
from datetime import date

from django.db.models import Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import CulturalObject, Monument, Organisation, UsageCount, VisitHash

DEFINITIONS = {
    "organisations": _("Organisations (museums, the gallery, ephorates, archives) that provide records to the portal."),
    "sites": _("Monuments and sites with a record on the portal (the heritage layer's sites)."),
    "digitised_objects": _("Cultural objects not withdrawn with at least one digital file (image, text, 3D, video "
                           "or sound), monuments' own records included."),
    "visitors": _("Visitors of the heritage portal's pages (/heritage/) in the month: each day's distinct visitors, "
                  "told apart by a hash of the day's random salt, the address and the browser, added up over the "
                  "month's days (someone who comes back on another day counts again). No cookie is used to count; the hashes "
                  "and the salt are deleted when the day is counted, no address is stored."),
    "iiif_presentation": _("Requests for IIIF Presentation manifests and collections (/iiif/presentation/) in the "
                           "month: reuse by viewers and aggregators."),
    "iiif_info": _("Requests for IIIF Image info.json documents (/iiif/3/.../info.json) in the month: images opened in "
                   "a deep-zoom viewer, here or elsewhere."),
    "oai_harvest": _("OAI-PMH harvests (/oai) started in the month: ListRecords or ListIdentifiers requests without a "
                     "resumption token (a harvest's later pages are not counted again)."),
}
MONTHLY = ["visitors", "iiif_presentation", "iiif_info", "oai_harvest"]


def _month_start(day: date, back: int) -> date:
    month = day.year * 12 + day.month - 1 - back
    return date(month // 12, month % 12 + 1, 1)


def portal_figures(*, months: int = 12) -> dict:
    """The figures now and per month for the last `months` months (this one included), each row with its
    definition; today's visitors are counted from the day's hashes so far."""
    today = timezone.localdate()
    rows = [
        {"figure": "organisations", "period": "", "value": Organisation.objects.count()},
        {"figure": "sites", "period": "", "value": Monument.objects.count()},
        {"figure": "digitised_objects", "period": "",
         "value": CulturalObject.objects.filter(deleted__isnull=True, media__isnull=False).distinct().count()},
    ]
    first = _month_start(today, months - 1)
    counted = {(row["month"].strftime("%Y-%m"), row["kind"]): row["total"] for row in
               UsageCount.objects.filter(day__gte=first).annotate(month=TruncMonth("day"))
               .values("month", "kind").annotate(total=Sum("count"))}
    this_month = today.strftime("%Y-%m")
    counted[(this_month, "visitors")] = counted.get((this_month, "visitors"), 0) + VisitHash.objects.filter(day=today).count()
    for back in range(months - 1, -1, -1):
        month = _month_start(today, back).strftime("%Y-%m")
        rows.extend({"figure": kind, "period": month, "value": counted.get((month, kind), 0)} for kind in MONTHLY)
    for row in rows:
        row["definition"] = str(DEFINITIONS[row["figure"]])
    return {"as_of": today.isoformat(), "rows": rows, "definitions": {k: str(v) for k, v in DEFINITIONS.items()}}
