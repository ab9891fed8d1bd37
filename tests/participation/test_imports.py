"""The project office's CSV imports: a dry run stores nothing and says what would change; with --commit each row is
all or nothing (the refused ones listed with line, field and reason, the others stored); a second run changes nothing.
The municipal register is created and updated by reference under its own rules."""
from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from participation.models import Implementation, Milestone, MunicipalProject, Proposal

from .conftest import make_process
from .test_implementation import PLACE

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(staff):
    process = make_process(open_phase="implementation", slug="import-process", kind="co_creation")
    made = []
    for title in ("A / A", "B / B"):
        proposal = Proposal.objects.create(process=process, author=staff, title=title, body="b", state="accepted")
        made.append(Implementation.objects.create(process=process, proposal=proposal, title_el=title[0],
                                                  title_en=title[0]))
    return made


def run(command, tmp_path, text, *args):
    path = tmp_path / "file.csv"
    path.write_text(text, encoding="utf-8")
    out, err = StringIO(), StringIO()
    call_command(command, str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_import_implementation_dry_run_stores_nothing_and_says_what_would_change(records, tmp_path):
    a, _b = records
    out, _ = run("participation_import_implementation", tmp_path,
                 f"id,status,progress,starts_on\n{a.id},in_progress,30,2025-03-01\n")
    assert "changed: line 2" in out and "progress 0 → 30" in out and "dry run" in out
    assert Implementation.objects.get(pk=a.id).progress == 0
    assert Proposal.objects.get(pk=a.proposal_id).state == "accepted"


def test_import_implementation_refused_rows_listed_the_others_stored(records, tmp_path):
    a, b = records
    text = ("id,status,progress,ends_on,milestone_date,milestone_en\n"
            f"{a.id},in_progress,40,,2025-04-01,Works began\n"
            f"{b.id},done,90,2025-09-01,,\n"
            "987654321,planned,,,,\n"
            f"{b.id},,150,,,\n")
    out, err = run("participation_import_implementation", tmp_path, text, "--commit")
    assert "4 rows: 0 new, 1 changed, 0 unchanged, 3 refused (stored)" in out
    assert f"line 3 (id {b.id}): progress:" in err and "line 4 (id 987654321): id:" in err
    assert f"line 5 (id {b.id}): progress:" in err
    stored = Implementation.objects.get(pk=a.id)
    assert (stored.status, stored.progress, stored.milestones.count()) == ("in_progress", 40, 1)
    assert Proposal.objects.get(pk=a.proposal_id).state == "in_progress"
    refused = Implementation.objects.get(pk=b.id)
    assert (refused.status, refused.progress, refused.ends_on) == ("planned", 0, None)  # nothing half-written


def test_import_implementation_second_run_changes_nothing(records, tmp_path):
    a, _b = records
    text = f"id,status,progress,milestone_date,milestone_el\n{a.id},in_progress,40,2025-04-01,Έναρξη\n"
    run("participation_import_implementation", tmp_path, text, "--commit")
    out, err = run("participation_import_implementation", tmp_path, text, "--commit")
    assert "1 rows: 0 new, 0 changed, 1 unchanged, 0 refused" in out and err == ""
    assert Milestone.objects.filter(implementation=a).count() == 1


def test_import_implementation_unknown_column_is_refused_before_anything(records, tmp_path):
    with pytest.raises(CommandError, match="unknown columns colour"):
        run("participation_import_implementation", tmp_path, f"id,colour\n{records[0].id},red\n", "--commit")


REGISTER = ("reference,title_el,title_en,status,completed_on,cost,lon,lat,process\n"
            "MP-1,Πλατεία,Square,done,2025-06-30,250000,{lon},{lat},import-process\n"
            "MP-2,Δρόμος,Road,in_progress,,90000,,,\n")


def test_import_register_creates_then_updates_by_reference(records, tmp_path):
    text = REGISTER.format(lon=PLACE.x, lat=PLACE.y)
    out, _ = run("participation_import_municipal_projects", tmp_path, text, "--commit")
    assert "2 rows: 2 new, 0 changed, 0 unchanged, 0 refused (stored)" in out
    square = MunicipalProject.objects.get(reference="MP-1")
    assert (square.status, square.year, square.cost, square.district.code, square.process.slug) == (
        "done", 2025, 250_000, "D1", "import-process")
    again, _ = run("participation_import_municipal_projects", tmp_path, text, "--commit")
    assert "0 new, 0 changed, 2 unchanged" in again
    update, _ = run("participation_import_municipal_projects", tmp_path,
                    f"reference,status,completed_on,implementation\nMP-2,done,2025-11-01,{records[0].id}\n", "--commit")
    assert "status in_progress → done" in update
    road = MunicipalProject.objects.get(reference="MP-2")
    assert (road.completed_on, road.implementation_id) == (date(2025, 11, 1), records[0].id)


def test_import_register_done_without_completion_date_is_refused(tmp_path):
    _, err = run("participation_import_municipal_projects", tmp_path,
                 "reference,title_en,status\nMP-9,Bridge,done\n", "--commit")
    assert "line 2 (reference MP-9): completed_on:" in err
    assert not MunicipalProject.objects.filter(reference="MP-9").exists()


def test_import_register_place_outside_the_municipality_is_refused(tmp_path):
    _, err = run("participation_import_municipal_projects", tmp_path,
                 "reference,title_en,lon,lat\nMP-8,Far away,23.7275,37.9838\n", "--commit")
    assert "line 2 (reference MP-8): lon:" in err and "outside the municipality" in err
    assert not MunicipalProject.objects.filter(reference="MP-8").exists()


def test_admin_goes_through_the_same_rules(admin_client, records):
    record = records[0]
    form = {"status": "done", "progress": "100", "starts_on": "", "ends_on": "", "spent": "0", "department": "",
            "cancel_reason": "", "milestones-TOTAL_FORMS": "0", "milestones-INITIAL_FORMS": "0"}
    answer = admin_client.post(f"/admin/participation/implementation/{record.id}/change/", form)
    assert answer.status_code == 200 and "ends_on" in answer.context["adminform"].form.errors
    assert Implementation.objects.get(pk=record.id).status == "planned"
    form["ends_on"] = "2025-10-01"
    assert admin_client.post(f"/admin/participation/implementation/{record.id}/change/", form).status_code == 302
    assert Proposal.objects.get(pk=record.proposal_id).state == "done"  # the proposal follows, as from the API
    register = {"reference": "MP-A", "title_el": "Α", "title_en": "A", "year": "2025", "status": "done",
                "completed_on": "", "cost": "", "district": "", "place": "", "process": "", "implementation": ""}
    answer = admin_client.post("/admin/participation/municipalproject/add/", register)
    assert answer.status_code == 200 and "completed_on" in answer.context["adminform"].form.errors
    register["completed_on"] = "2025-05-01"
    assert admin_client.post("/admin/participation/municipalproject/add/", register).status_code == 302
    assert MunicipalProject.objects.get(reference="MP-A").completed_on == date(2025, 5, 1)
