"""Demo implementation, labelled as such: the Participatory Budget 2025's selected projects carried out at different
stages (done, in progress, planned, cancelled) with milestones and a photo, and a municipal project register (some
projects done, some shaped by participation), so the implementation map and the outcome indicator have something to
show. Written the way the project office would: the records made by the service, then updated and the register
filled through the same CSV imports a real office uses."""
import csv
import io
from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from issues.models import Department

from .errors import ParticipationError
from .models import Implementation, MunicipalProject, Process
from .services.implementation import implementations_start, milestone_add_photo
from .services.imports import (
    IMPLEMENTATION_COLUMNS, REGISTER_COLUMNS, implementation_import, municipal_projects_import,
)

DEMO_REFERENCE = "DEMO-"
DEPARTMENTS = ("parks-trees", "roads-pavements", "municipal-buildings", "street-lighting", "urban-planning")
# A stage per record, in turn: status, progress, start and end (days from today), share of the cost spent, milestones
# (days from today, Greek, English); a cancelled one says why.
STAGES = [
    ("done", 100, -230, -40, 0.96, [(-225, "Υπογράφηκε η σύμβαση", "Contract signed"),
                                    (-150, "Ολοκληρώθηκαν οι εκσκαφές", "Groundworks finished"),
                                    (-40, "Παραδόθηκε στους κατοίκους", "Handed over to the residents")]),
    ("in_progress", 65, -200, 60, 0.55, [(-195, "Υπογράφηκε η σύμβαση", "Contract signed"),
                                         (-90, "Ξεκίνησαν οι εργασίες", "Works began")]),
    ("in_progress", 30, -120, 150, 0.2, [(-110, "Εγκρίθηκε η μελέτη", "Design approved")]),
    ("planned", 0, 30, 200, 0.0, []),
    ("done", 100, -245, -120, 1.0, [(-240, "Υπογράφηκε η σύμβαση", "Contract signed"),
                                    (-120, "Ολοκληρώθηκε", "Completed")]),
    ("cancelled", 10, -180, None, 0.05, [(-170, "Ξεκίνησε η μελέτη", "Design began")]),
]
CANCEL_REASON = ("Το οικόπεδο χρειάστηκε για σχολείο· το έργο θα ξαναπροταθεί. / "
                 "The plot is needed for a school; the project will be proposed again.")


def _photo(caption: str) -> SimpleUploadedFile:
    image = Image.new("RGB", (640, 420), (214, 232, 205))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 300, 640, 420), fill=(120, 160, 90))
    draw.ellipse((420, 40, 520, 140), fill=(250, 210, 90))
    draw.text((20, 20), caption, fill=(30, 40, 30))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return SimpleUploadedFile("milestone.jpg", out.getvalue(), content_type="image/jpeg")


def _csv(columns, rows) -> io.StringIO:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns)
    writer.writeheader()
    writer.writerows(rows)
    out.seek(0)
    return out


def _implementation_rows(records, today: date) -> list[dict]:
    departments = [d for d in DEPARTMENTS if Department.objects.filter(slug=d).exists()]
    rows = []
    for number, record in enumerate(records):
        status, progress, start, end, spent, milestones = STAGES[number % len(STAGES)]
        cost = record.cost or 50_000
        first = {"id": record.id, "status": "planned" if status == "cancelled" else status,
                 "progress": progress, "starts_on": today + timedelta(days=start),
                 "ends_on": today + timedelta(days=end) if end is not None else "",
                 "spent": int(cost * spent), "department": departments[number % len(departments)] if departments else ""}
        rows.append(first)
        for days, text_el, text_en in milestones:
            rows.append({"id": record.id, "milestone_date": today + timedelta(days=days), "milestone_el": text_el,
                         "milestone_en": text_en})
        if status == "cancelled":
            rows.append({"id": record.id, "status": "cancelled", "cancel_reason": CANCEL_REASON})
    return rows


def _register_rows(records, today: date, slugs: dict) -> list[dict]:
    """The register: projects with and without participation, some done in each year, and an entry for each done
    participatory project (linked to its record, so it counts once)."""
    year = today.year
    rows = [
        ("Ανάπλαση πλατείας Αριστοτέλους", "Aristotelous Square renewal", "done", date(year - 1, 6, 30), 1_200_000,
         "D1", ""),
        ("Ποδηλατόδρομος Νέας Παραλίας", "New Waterfront cycle lane", "done", date(year - 1, 10, 15), 640_000, "D1",
         slugs["co_creation"]),
        ("Ανακατασκευή οδού Εγνατίας", "Egnatia Street reconstruction", "done", date(year - 1, 11, 15), 2_400_000,
         "D2", ""),
        ("Ανακαίνιση ΚΑΠΗ", "Seniors' centres renovation", "done", today - timedelta(days=200), 380_000, "D2", ""),
        ("Φωτισμός LED", "LED street lighting", "done", today - timedelta(days=90), 900_000, "", ""),
        ("Πάρκο Άνω Πόλης", "Ano Poli park", "done", today - timedelta(days=60), 650_000, "D3", slugs["past"]),
        ("Αποχετευτικό δίκτυο Τούμπας", "Toumba drainage network", "in_progress", None, 1_800_000, "D4", ""),
        ("Σχολικές αυλές πράσινες", "Green school yards", "planned", None, 420_000, "D4", slugs["budgeting"]),
    ]
    out = [{"reference": f"{DEMO_REFERENCE}{number:03d}", "title_el": title_el, "title_en": title_en,
            "status": status, "completed_on": completed or "", "cost": cost, "district": district, "process": process}
           for number, (title_el, title_en, status, completed, cost, district, process) in enumerate(rows, start=1)]
    for record in records:
        if record.status == "done":
            out.append({"reference": f"{DEMO_REFERENCE}PB-{record.id}", "title_el": record.title_el,
                        "title_en": record.title_en, "status": "done", "completed_on": record.ends_on,
                        "cost": record.spent, "process": slugs["past"], "implementation": record.id})
    return out


def load_demo_implementation(*, staff, today: date, slugs: dict) -> dict:
    """Records for the selected projects of the demo's past budget (slugs["past"]), taken through their stages, and
    the demo register (naming the processes of slugs: past, budgeting, co_creation). {"implementation records",
    "milestones", "municipal projects"}."""
    process = Process.objects.get(slug=slugs["past"], demo=True)
    implementations_start(staff=staff, process=process)
    records = list(Implementation.objects.filter(process=process).order_by("id"))
    report = implementation_import(lines=_csv(IMPLEMENTATION_COLUMNS, _implementation_rows(records, today)),
                                   commit=True)
    if report.refused:
        raise ParticipationError(f"the demo's implementation rows were refused: {report.refused[:3]}")
    Implementation.objects.filter(process=process).update(demo=True)
    for record in Implementation.objects.filter(process=process, status="done"):
        milestone = record.milestones.order_by("-on").first()
        if milestone is not None:
            milestone_add_photo(milestone=milestone, staff=staff, upload=_photo(record.title_en))
    records = list(Implementation.objects.filter(process=process).order_by("id"))
    register = municipal_projects_import(lines=_csv(REGISTER_COLUMNS, _register_rows(records, today, slugs)),
                                         commit=True)
    if register.refused:
        raise ParticipationError(f"the demo's register rows were refused: {register.refused[:3]}")
    MunicipalProject.objects.filter(reference__startswith=DEMO_REFERENCE).update(demo=True)
    return {"implementation records": len(records),
            "milestones": sum(r.milestones.count() for r in records),
            "municipal projects": MunicipalProject.objects.filter(reference__startswith=DEMO_REFERENCE).count()}
