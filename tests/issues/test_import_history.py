"""Importing the city's history: from a second instance of this server (its GeoReport v2 API, started by the
test on a free port with a database of its own) and from a CSV export. Dry run writes nothing, the import keeps
ids and dates, a second run adds nothing twice and updates what changed, refusals are summarised, and the
figures cover the imported years."""
import io
from datetime import datetime, timezone

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from issues.import_sources import SourceError, csv_records
from issues.imports import ImportMapping, ImportRecord, MappingFileError, issues_import
from issues.models import Issue, IssueUpdate, Support

pytestmark = pytest.mark.django_db

MAPPING = """
keep_same_codes = true
[services]
"old-potholes" = "pothole"
[statuses]
new = "new"
acknowledged = "acknowledged"
in_progress = "in_progress"
resolved = "resolved"
closed = "closed"
reopened = "reopened"
open = "acknowledged"
"""

# On the old server: (category, lon, lat, posted, status, resolved) — two years before the switch.
OLD_REPORTS = [
    ("pothole", 22.9484, 40.6264, "2022-03-10T09:00:00+00:00", "resolved", "2022-03-15T09:00:00+00:00"),
    ("pothole", 22.9700, 40.6150, "2022-03-20T09:00:00+00:00", "new", None),
    ("street-light-out", 22.9600, 40.6050, "2022-11-02T09:00:00+00:00", "resolved", "2022-11-12T09:00:00+00:00"),
    ("damaged-pavement", 22.9400, 40.6350, "2023-06-01T09:00:00+00:00", "in_progress", None),
    ("old-graffiti", 22.9450, 40.6330, "2023-07-01T09:00:00+00:00", "new", None),  # a code we do not have
    ("pothole", 22.9550, 40.5850, "2023-08-01T09:00:00+00:00", "new", None),  # in Kalamaria
]


@pytest.fixture
def mapping_file(tmp_path):
    path = tmp_path / "mapping.toml"
    path.write_text(MAPPING, "utf-8")
    return path


@pytest.fixture(scope="module")
def old_server(web_server):
    """A second instance of this server, with reports of 2022 and 2023 stored as they were then."""
    web_server.django(
        """
from datetime import datetime
from django.contrib.gis.geos import Point
from issues.models import Category, Department, Issue
roads = Department.objects.get(slug="roads-pavements")
Category.objects.create(service_code="old-graffiti", name_el="Γκράφιτι", name_en="Graffiti", group_el="Άλλα", group_en="Other")
ids = []
for code, lon, lat, posted, status, resolved in reports:
    issue = Issue.objects.create(category=Category.objects.get(service_code=code), location=Point(lon, lat, srid=4326),
                                 department=roads, routing_note="old system", status=status, description=f"{code} at {posted}")
    Issue.objects.filter(pk=issue.pk).update(created_at=datetime.fromisoformat(posted),
                                             updated_at=datetime.fromisoformat(resolved or posted),
                                             resolved_at=datetime.fromisoformat(resolved) if resolved else None)
    ids.append(issue.pk)
result = ids
""",
        reports=OLD_REPORTS,
    )
    return web_server


def run_open311(server, mapping_file, *extra) -> str:
    out, err = io.StringIO(), io.StringIO()
    call_command("issues_import_open311", f"{server.url}/open311/v2", "--mapping", str(mapping_file),
                 "--since", "2021-12-01", "--until", "2024-01-01", *extra, stdout=out, stderr=err)
    return out.getvalue()


def imported(server) -> list[Issue]:
    return list(Issue.objects.filter(import_source=f"{server.url}/open311/v2").order_by("created_at"))


def test_open311_dry_run_reads_every_window_and_writes_nothing(old_server, mapping_file):
    summary = run_open311(old_server, mapping_file)
    assert "6 read: 4 created, 0 updated, 0 unchanged, 2 refused (dry run, nothing written)" in summary
    assert imported(old_server) == []


def test_open311_reads_page_by_page_within_a_window(old_server, mapping_file):
    summary = run_open311(old_server, mapping_file, "--page-size", "2", "--window-days", "30")
    assert "6 read: 4 created, 0 updated, 0 unchanged, 2 refused (dry run, nothing written)" in summary


def test_open311_import_keeps_ids_dates_and_statuses_and_refuses_with_reasons(old_server, mapping_file):
    summary = run_open311(old_server, mapping_file, "--commit")
    assert "4 created" in summary and "2 refused" in summary
    assert "unknown service codes (add them to the mapping's [services]): old-graffiti ×1" in summary
    assert "outside the municipality: Municipality of Kalamaria ×1" in summary
    issues = imported(old_server)
    old_ids = [row["id"] for row in old_server.query("SELECT id FROM issues_issue ORDER BY created_at")]
    assert [i.import_id for i in issues] == [str(pk) for pk in old_ids[:4]]
    assert [i.created_at.isoformat() for i in issues] == [r[3] for r in OLD_REPORTS[:4]]
    assert [i.status for i in issues] == ["resolved", "new", "resolved", "in_progress"]
    assert issues[0].resolved_at == datetime(2022, 3, 15, 9, tzinfo=timezone.utc)
    assert issues[0].district.code and issues[0].department.slug  # routed by this server's rules
    assert IssueUpdate.objects.filter(issue=issues[0], kind="note", actor="import").exists()


def test_open311_second_run_imports_nothing_twice_and_updates_what_changed(old_server, mapping_file):
    run_open311(old_server, mapping_file, "--commit")
    again = run_open311(old_server, mapping_file, "--commit")
    assert "0 created, 0 updated, 4 unchanged, 2 refused" in again
    old_server.query("UPDATE issues_issue SET status = 'resolved', resolved_at = '2022-04-01T09:00:00Z', "
                     "updated_at = '2022-04-01T09:00:00Z' WHERE description LIKE 'pothole at 2022-03-20%%' RETURNING id")
    changed = run_open311(old_server, mapping_file, "--commit")
    assert "0 created, 1 updated, 3 unchanged" in changed
    second = imported(old_server)[1]
    assert second.status == "resolved" and second.resolved_at == datetime(2022, 4, 1, 9, tzinfo=timezone.utc)
    assert len(imported(old_server)) == 4
    old_server.query("UPDATE issues_issue SET status = 'new', resolved_at = NULL, updated_at = created_at "
                     "WHERE description LIKE 'pothole at 2022-03-20%%' RETURNING id")  # as the other tests expect


def test_open311_unreachable_server_imports_nothing(mapping_file):
    with pytest.raises(CommandError, match="no answer.*nothing was imported"):
        call_command("issues_import_open311", "http://127.0.0.1:9/open311/v2", "--mapping", str(mapping_file),
                     "--since", "2023-01-01", "--until", "2023-06-01", "--commit", stdout=io.StringIO(), stderr=io.StringIO())
    assert not Issue.objects.exclude(import_source="").exists()


def test_imported_history_shows_in_the_figures(old_server, mapping_file, django_user_model):
    run_open311(old_server, mapping_file, "--commit")
    planner = django_user_model.objects.create_superuser("figures-admin", password="pw-123456")
    client = Client()
    client.force_login(planner)
    body = client.get("/api/stats/kpis", {"from": "2022-01-01T00:00:00Z", "to": "2024-01-01T00:00:00Z"}).json()
    assert body["posted"] == 4 and body["solved"] == 2 and body["share_solved"] == 0.5
    assert body["median_days_to_resolve"] == 7.5  # 5 and 10 days
    assert body["per_month"][:2] == [{"month": "2022-03", "posted": 2, "solved": 1}, {"month": "2022-11", "posted": 1, "solved": 1}]


# --- the importer itself --------------------------------------------------------------------------------------


def record(n: int, **changes) -> ImportRecord:
    values = dict(import_id=f"A{n}", service_code="pothole", lat=40.6264, lon=22.9484, status="new",
                  created_at=datetime(2021, 5, n, 8, tzinfo=timezone.utc))
    values.update(changes)
    return ImportRecord(**values)


def test_an_error_midway_leaves_nothing_half_imported(mapping_file):
    def records():
        yield record(1)
        yield record(2)
        raise SourceError("the old server stopped answering")

    with pytest.raises(SourceError):
        issues_import(source="old", records=records(), mapping=ImportMapping.from_file(mapping_file), commit=True)
    assert not Issue.objects.filter(import_source="old").exists()


def test_unmapped_status_and_missing_fields_are_refused_with_reasons(mapping_file):
    report = issues_import(source="old", mapping=ImportMapping.from_file(mapping_file), commit=True, records=[
        record(1, status="waiting-for-parts"), record(2, lat=None), record(3, created_at=None), record(4), record(4),
    ])
    assert report.created == 1
    assert [why for _, why in report.refused] == [
        "unmapped status 'waiting-for-parts'", "no valid coordinates", "no creation date", "the same id twice in this source"]
    assert "unmapped statuses (add them to the mapping's [statuses]): waiting-for-parts ×1" in report.summary()


def test_mapping_file_naming_an_unknown_status_or_service_is_refused(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('[statuses]\nopen = "pending"\n', "utf-8")
    with pytest.raises(MappingFileError, match="'pending' is not a status here"):
        ImportMapping.from_file(bad)
    bad.write_text('[services]\nx = "no-such-service"\n[statuses]\nopen = "new"\n', "utf-8")
    with pytest.raises(MappingFileError, match="no service 'no-such-service'"):
        ImportMapping.from_file(bad)


# --- CSV ------------------------------------------------------------------------------------------------------

CSV = """id,category,lat,lon,status,created,resolved,supports,comments
imc-1,old-potholes,40.6264,22.9484,closed,2021-02-01 10:00:00,2021-02-04 10:00:00,3,Thank you|Fixed quickly
imc-2,street-light-out,40.6150,22.9700,open,2021-02-10,,0,
imc-3,pothole,40.5850,22.9550,open,2021-03-01,,1,
imc-4,benches,40.6264,22.9484,open,2021-03-02,,0,
"""


def run_csv(tmp_path, mapping_file, text=CSV, *extra) -> str:
    path = tmp_path / "improvemycity.csv"
    path.write_text(text, "utf-8")
    out = io.StringIO()
    call_command("issues_import_csv", str(path), "--mapping", str(mapping_file), *extra, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_csv_import_keeps_dates_supports_and_comments(tmp_path, mapping_file):
    assert "(dry run, nothing written)" in run_csv(tmp_path, mapping_file)
    assert not Issue.objects.filter(import_source="csv:improvemycity.csv").exists()
    summary = run_csv(tmp_path, mapping_file, CSV, "--commit")
    assert "4 read: 2 created, 0 updated, 0 unchanged, 2 refused" in summary
    assert "benches ×1" in summary and "Municipality of Kalamaria ×1" in summary
    first = Issue.objects.get(import_source="csv:improvemycity.csv", import_id="imc-1")
    assert first.category.service_code == "pothole" and first.status == "closed"
    assert first.created_at == datetime(2021, 2, 1, 10, tzinfo=timezone.utc)
    assert first.resolved_at == datetime(2021, 2, 4, 10, tzinfo=timezone.utc)
    assert Support.objects.filter(issue=first).count() == 3
    assert list(first.updates.filter(kind="comment", public=True).values_list("description", flat=True)) == [
        "Thank you", "Fixed quickly"]


def test_csv_second_run_updates_supports_and_adds_nothing_twice(tmp_path, mapping_file):
    run_csv(tmp_path, mapping_file, CSV, "--commit")
    assert "0 created, 0 updated, 2 unchanged" in run_csv(tmp_path, mapping_file, CSV, "--commit")
    more = CSV.replace(",3,Thank you|Fixed quickly", ",5,Thank you|Fixed quickly")
    assert "0 created, 1 updated, 1 unchanged" in run_csv(tmp_path, mapping_file, more, "--commit")
    first = Issue.objects.get(import_source="csv:improvemycity.csv", import_id="imc-1")
    assert Support.objects.filter(issue=first).count() == 5
    assert Issue.objects.filter(import_source="csv:improvemycity.csv").count() == 2


def test_csv_with_a_bad_date_stops_before_writing_anything(tmp_path, mapping_file):
    broken = CSV + "imc-5,pothole,40.6264,22.9484,open,yesterday,,0,\n"
    with pytest.raises(CommandError, match=r"line 6: not a date: 'yesterday'; nothing was imported"):
        run_csv(tmp_path, mapping_file, broken, "--commit")
    assert not Issue.objects.filter(import_source="csv:improvemycity.csv").exists()


def test_csv_missing_a_column_says_which(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("id,category,lat,lon\n1,pothole,40.6,22.9\n", "utf-8")
    with pytest.raises(SourceError, match="missing column\\(s\\) status, created"):
        csv_records(path)


def test_a_report_moved_in_the_old_system_is_routed_again(tmp_path, mapping_file):
    run_csv(tmp_path, mapping_file, CSV, "--commit")
    first = Issue.objects.get(import_source="csv:improvemycity.csv", import_id="imc-1")
    moved = CSV.replace("imc-1,old-potholes,40.6264,22.9484", "imc-1,old-potholes,40.6020,22.9600")
    assert "1 updated" in run_csv(tmp_path, mapping_file, moved, "--commit")
    again = Issue.objects.get(pk=first.pk)
    assert again.district.code != first.district.code and again.version == first.version + 1


def test_the_demo_history_maps_every_category_and_status_and_lies_in_the_city():
    import json
    from pathlib import Path

    from shapely.geometry import Point, shape

    fixtures = Path(__file__).resolve().parents[2] / "fixtures" / "thessaloniki"
    mapping = ImportMapping.from_file(fixtures / "history-mapping.toml")
    outline = shape(json.loads((fixtures / "municipality.geojson").read_text("utf-8"))["features"][0]["geometry"])
    records = csv_records(fixtures / "history-improvemycity.csv")
    assert len(records) == 420
    assert all(mapping.service_code(r.service_code) and mapping.status(r.status) for r in records)
    assert all(outline.contains(Point(r.lon, r.lat)) for r in records)
    assert min(r.created_at for r in records).year == 2024 and all(r.created_at.year <= 2026 for r in records)
