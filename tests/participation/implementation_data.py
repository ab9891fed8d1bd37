"""Hand-built implementation data for the page tests (also run inside a browser test's server): a process whose
vote selected a project in progress at 40 % with two milestones, one with a photo, and a done one."""
import io
from datetime import date

from django.contrib.auth import get_user_model
from django.contrib.gis.geos import Point
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from participation.models import Implementation, Project, Proposal
from participation.services.implementation import (
    implementation_for_project, implementation_update, milestone_add, milestone_add_photo,
)

from .conftest import make_budget, make_process

SLUG = "pb-implemented"
PLACE = Point(22.9444, 40.6322, srid=4326)


def _photo():
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (40, 120, 60)).save(out, "JPEG")
    return SimpleUploadedFile("works.jpg", out.getvalue(), content_type="image/jpeg")


def build() -> dict:
    staff, _ = get_user_model().objects.get_or_create(username="implementation-staff", defaults={"is_staff": True})
    process = make_process(open_phase="implementation", slug=SLUG)
    budget = make_budget(process, amount=500_000, district="D1")
    ids = {}
    for title, status, place in (("Park", "in_progress", PLACE), ("Fountain", "done", Point(22.95, 40.635, srid=4326))):
        proposal = Proposal.objects.create(process=process, author=staff, title=f"{title} / {title}", body="b",
                                           state=Proposal.State.SELECTED, geom=place)
        project = Project.objects.create(budget=budget, proposal=proposal, title_el=f"{title} ελ", title_en=title,
                                         cost=100_000, geom=place, selected=True)
        record, _ = implementation_for_project(project=project, staff=staff)
        values = {"status": status, "progress": 40 if status == "in_progress" else 100,
                  "starts_on": date(2025, 3, 1), "spent": 42_000}
        if status == "done":
            values["ends_on"] = date(2025, 10, 1)
        implementation_update(implementation=record, staff=staff, values=values)
        ids[title] = record.id
    park = Implementation.objects.get(pk=ids["Park"])
    first = milestone_add(implementation=park, staff=staff, on=date(2025, 3, 10),
                          text_el="Ξεκίνησαν οι εργασίες", text_en="Works began")
    milestone_add_photo(milestone=first, staff=staff, upload=_photo())
    milestone_add(implementation=park, staff=staff, on=date(2025, 6, 1),
                  text_el="Φυτεύτηκαν δέντρα", text_en="Trees planted")
    return {"process": SLUG, "in_progress": ids["Park"], "done": ids["Fountain"], "staff": staff.username}

