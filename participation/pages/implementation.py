"""The implementation pages: the city's implementation map (records coloured by status, their progress, filters by
year, district, process and status, the outcome indicator beside it), a public page per project (status, progress,
milestones with photos, money, department, map) and the staff's page that edits a record and adds milestones.

The pages write nothing themselves: the staff page's script calls /api/participation/implementations/…; the map
draws the `participation-implementation` collection's vector tiles."""
import json

from django.contrib.gis.db.models import Extent
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from core.errors import ServiceError
from core.i18n import choice_labels, localized
from core.page_access import page_for, page_refused
from core.params import flag
from issues.models import Department
from participation.errors import NotFound
from participation.figures import OUTCOME_DEFINITION, outcome_indicator
from participation.implementation import implementation_filter_choices, implementation_public, implementations_public
from participation import selectors
from participation.models import ImplementationStatus
from participation.pages.views import follow_form

IMPLEMENTATION = "participation-implementation"
FILTERS = ("year", "district", "process", "status")


def _tiles(collection_id: str) -> str:
    return reverse("ogc-tile", kwargs={"collection_id": collection_id, "z": 0, "y": 0, "x": 0}).replace(
        "/0/0/0", "/{z}/{y}/{x}")


def _record_or_404(implementation_id: int):
    try:
        return implementation_public(implementation_id)
    except NotFound:
        raise Http404(f"no implementation {implementation_id}") from None


@require_GET
def implementation_map(request):
    """/participation/implementation/ : every record on the map coloured by status with a legend, its progress in
    the popup and in the list under the map, filters by year, district, process and status (in the address, so a
    filtered map can be shared), and the outcome indicator with its definition (demo data only with
    ?include_demo=true, and then said)."""
    choices = implementation_filter_choices()
    selected = {name: request.GET.get(name, "") for name in FILTERS}
    try:
        include_demo = flag(request.GET, "include_demo")
    except ServiceError as exc:
        return page_refused(request, exc.status, str(exc))
    records = implementations_public().order_by("status", "title_en")
    if selected["year"].isdigit():
        records = records.filter(year=int(selected["year"]))
    if selected["district"]:
        records = records.filter(district__code=selected["district"])
    if selected["process"]:
        records = records.filter(process__slug=selected["process"])
    if selected["status"] in ImplementationStatus.values:
        records = records.filter(status=selected["status"])
    extent = records.filter(geom__isnull=False).aggregate(extent=Extent("geom"))["extent"]
    records = list(records)
    for record in records:
        record.display_title = localized(record, "title")
    labels = choice_labels(ImplementationStatus)
    return render(request, "participation/pages/implementation_map.html", {
        "records": records,
        "status_labels": labels,
        "filters": {
            "year": [(str(y), str(y)) for y in choices["years"]],
            "district": [(code, localized({"name_el": name_el, "name_en": name_en}, "name"))
                         for code, name_el, name_en in choices["districts"]],
            "process": [(p.slug, localized(p, "title")) for p in choices["processes"]],
            "status": list(labels.items()),
        },
        "selected": selected,
        "outcome": outcome_indicator(include_demo=include_demo),
        "include_demo": include_demo,
        "outcome_definition": OUTCOME_DEFINITION,
        "page_config": {
            "tiles": _tiles(IMPLEMENTATION),
            "layerName": IMPLEMENTATION,
            "projectPage": reverse("participation-page-project", kwargs={"implementation_id": 0}),
            "statusLabels": labels,
            "bounds": list(extent) if extent else None,
        },
    })


def _follow_of(request, record) -> dict:
    """The follow button of a project's page: its project on the ballot, or the accepted proposal it carries out."""
    kind, target = ("project", record.project) if record.project_id else ("proposal", record.proposal)
    return follow_form(request, kind, target.pk, selectors.follow_of(request.user, **{kind: target}))


@require_GET
def project_page(request, implementation_id: int):
    """/participation/projects/<id>/ : one record: status, progress, dates, money, department, its milestones with
    photos in order, and its place on a map."""
    record = _record_or_404(implementation_id)
    milestones = [{"milestone": m, "text": localized(m, "text"), "photos": list(m.photos.all())}
                  for m in record.milestones.all()]
    return render(request, "participation/pages/project.html", {
        "record": record,
        "follow": _follow_of(request, record),
        "title": localized(record, "title"),
        "status_label": record.get_status_display(),
        "process_title": localized(record.process, "title"),
        "department_name": localized(record.department, "name") if record.department else "",
        "district_name": localized(record.district, "name") if record.district else "",
        "milestones": milestones,
        "may_edit": request.user.is_authenticated and request.user.is_staff,
        "page_config": {"place": json.loads(record.geom.json) if record.geom is not None else None,
                        "status": record.status},
    })


@require_http_methods(["GET", "POST"])
@page_for(lambda request, **kwargs: request.user.is_staff, "the city's staff (a staff account)")
def project_edit(request, implementation_id: int):
    """/participation/projects/<id>/edit/ : the staff's form for status, progress, dates, money, department and the
    reason of a cancellation, and for a new milestone with photos; both sent to the API."""
    record = _record_or_404(implementation_id)
    return render(request, "participation/pages/project_edit.html", {
        "record": record,
        "title": localized(record, "title"),
        "status_choices": list(choice_labels(ImplementationStatus).items()),
        "departments": [(d.slug, localized(d, "name")) for d in Department.objects.filter(active=True)],
        "page_config": {
            "record": reverse("participation-implementation", kwargs={"implementation_id": record.id}),
            "milestones": reverse("participation-implementation-milestones", kwargs={"implementation_id": record.id}),
            "milestonePhotos": reverse("participation-milestone-photos", kwargs={"milestone_id": 0}),
            "projectPage": reverse("participation-page-project", kwargs={"implementation_id": record.id}),
        },
    })
