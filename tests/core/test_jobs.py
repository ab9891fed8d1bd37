"""The job queue on PostgreSQL: downloads written by a coalesced job and never inside a request, retries
with back-off until a job is given up and shown in the admin, the outbox sent by the real worker soon after
a report commits, re-routing queued by its command. Jobs run through the real queue tables: by procrastinate's
worker (a transactional test), or one after another in the test's own transaction (run_due_jobs_here)."""
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.gis.geos import Point
from django.core.management import call_command
from django.db import connection
from django.test import Client
from procrastinate.contrib.django.models import ProcrastinateJob

from issues.models import Category, Notification
from issues.services.reporting import issue_report
from core.jobs import run_due_jobs_here

GPKG = "/ogc/collections/public-issues/download/gpkg"


def a_report(lon=22.9480, lat=40.6330):
    return issue_report(category=Category.objects.get(service_code="pothole"), point=Point(lon, lat, srid=4326), actor="t")


def waiting(task_name: str) -> list[ProcrastinateJob]:
    return list(ProcrastinateJob.objects.filter(task_name=task_name, status="todo"))


def features(response) -> int:
    import pyogrio

    path = Path(settings.LAYER_DOWNLOAD_DIR) / "read-back.gpkg"
    path.write_bytes(b"".join(response.streaming_content))
    return pyogrio.read_info(path)["features"]


def number_matched(client) -> int:
    response = client.get("/ogc/collections/public-issues/items", {"limit": 1})
    return json.loads(b"".join(response.streaming_content))["numberMatched"]


@pytest.mark.django_db
def test_a_request_never_writes_a_file_and_a_burst_makes_one_job(settings, tmp_path):
    settings.LAYER_DOWNLOAD_DIR = tmp_path
    client = Client()
    answers = [client.get(GPKG) for _ in range(3)]
    a_report()
    answers += [client.get(GPKG) for _ in range(3)]
    a_report(22.9500, 40.6300)
    answers.append(client.get(GPKG))
    assert {a.status_code for a in answers} == {503} and {a["Retry-After"] for a in answers} == {"30"}
    assert "being written" in answers[0].json()["description"] and answers[0].json()["code"] == "ServiceUnavailable"
    assert not list(tmp_path.rglob("*.gpkg"))  # nothing written inside a request
    [job] = waiting("layers.write_download")  # seven requests and two changes: one job
    assert job.args == {"collection_id": "public-issues", "format_name": "gpkg"}
    assert run_due_jobs_here(queues=["downloads"]) == [("layers.write_download", "succeeded")]
    ready = client.get(GPKG)
    assert ready.status_code == 200 and not ready.has_header("X-Newer-Version")
    assert features(ready) == number_matched(client)  # the file holds the data as it was when the job ran
    assert len(list(tmp_path.rglob("thessaloniki-public-issues.gpkg"))) == 1


@pytest.mark.django_db
def test_while_a_newer_file_is_written_the_older_is_served_with_its_own_validators(settings, tmp_path):
    settings.LAYER_DOWNLOAD_DIR = tmp_path
    client = Client()
    client.get(GPKG)
    run_due_jobs_here(queues=["downloads"])
    first = client.get(GPKG)
    before = features(first)
    first_version = next(tmp_path.rglob("thessaloniki-public-issues.gpkg")).parent
    a_report()
    older = [client.get(GPKG) for _ in range(3)]
    assert {o.status_code for o in older} == {200} and {o["ETag"] for o in older} == {first["ETag"]}
    assert older[0]["Last-Modified"] == first["Last-Modified"] and older[0]["X-Newer-Version"] == "preparing; retry-after=30"
    assert features(older[0]) == before
    assert len(waiting("layers.write_download")) == 1
    run_due_jobs_here(queues=["downloads"])
    newer = client.get(GPKG)
    assert newer["ETag"] != first["ETag"] and features(newer) == before + 1 and not newer.has_header("X-Newer-Version")
    # the version just replaced stays (a request that named it a moment ago still finds it) until the next one
    assert len(list(tmp_path.rglob("thessaloniki-public-issues.gpkg"))) == 2
    a_report()
    client.get(GPKG)
    run_due_jobs_here(queues=["downloads"])
    newest = client.get(GPKG)
    assert features(newest) == before + 2 and not newest.has_header("X-Newer-Version")
    assert len(list(tmp_path.rglob("thessaloniki-public-issues.gpkg"))) == 2 and not first_version.exists()


@pytest.mark.django_db
def test_a_layer_that_keeps_changing_gets_a_new_file_at_the_refresh_pace(settings, tmp_path):
    settings.LAYER_DOWNLOAD_DIR = tmp_path
    settings.DOWNLOAD_REFRESH_SECONDS = 60
    client = Client()
    client.get(GPKG)
    run_due_jobs_here(queues=["downloads"])
    written = next(tmp_path.rglob("thessaloniki-public-issues.gpkg")).stat().st_mtime
    a_report()
    assert client.get(GPKG)["X-Newer-Version"].startswith("preparing")
    [job] = waiting("layers.write_download")
    assert abs(job.scheduled_at.timestamp() - (written + 60)) < 1  # not before the refresh pace allows
    assert run_due_jobs_here(queues=["downloads"]) == []


@pytest.mark.django_db
def test_a_file_slow_to_write_is_rewritten_at_a_pace_set_by_its_write_time(settings, tmp_path):
    """A file that took 30 s to write, factor 4: the next one waits 120 s, not the 60 s of the refresh pace."""
    import json

    settings.LAYER_DOWNLOAD_DIR = tmp_path
    settings.DOWNLOAD_REFRESH_SECONDS = 60
    settings.DOWNLOAD_REFRESH_WORK_FACTOR = 4
    client = Client()
    client.get(GPKG)
    run_due_jobs_here(queues=["downloads"])
    file = next(tmp_path.rglob("thessaloniki-public-issues.gpkg"))
    version = json.loads((file.parent / "version.json").read_text())
    assert 0 < version["write_seconds"] < 60  # what this write took, recorded beside the file
    (file.parent / "version.json").write_text(json.dumps({**version, "write_seconds": 30}))
    a_report()
    assert client.get(GPKG)["X-Newer-Version"].startswith("preparing")
    [job] = waiting("layers.write_download")
    assert abs(job.scheduled_at.timestamp() - (file.stat().st_mtime + 120)) < 1

@pytest.mark.django_db
def test_partial_files_of_an_interrupted_writer_are_removed(settings, tmp_path):
    settings.LAYER_DOWNLOAD_DIR = tmp_path
    Client().get(GPKG)
    version = tmp_path / "public-issues" / "gpkg" / "an-interrupted-version"
    (version / ".partial-0123-work").mkdir(parents=True)
    (version / ".partial-4567-thessaloniki-public-issues.gpkg").write_bytes(b"half a file")
    run_due_jobs_here(queues=["downloads"])
    assert not list(tmp_path.rglob(".partial-*")) and not version.exists()
    assert Client().get(GPKG).status_code == 200


@pytest.mark.django_db
def test_a_failing_job_is_retried_with_back_off_then_given_up_and_shown_in_the_admin(settings, tmp_path, admin_client):
    blocked = tmp_path / "a-file-not-a-folder"
    blocked.write_text("")
    settings.LAYER_DOWNLOAD_DIR = blocked
    assert Client().get("/ogc/collections/heritage-sites/download/csv").status_code == 503
    waits = []
    for attempt in range(1, 6):
        outcome = run_due_jobs_here(queues=["downloads"])
        job = ProcrastinateJob.objects.get(task_name="layers.write_download")
        assert job.attempts == attempt
        if attempt < 5:
            assert outcome == [("layers.write_download", "retry")] and job.status == "todo"
            with connection.cursor() as cursor:
                cursor.execute("SELECT extract(epoch FROM scheduled_at - clock_timestamp()) FROM procrastinate_jobs WHERE id = %s",
                                   [job.id])
                waits.append(cursor.fetchone()[0])
            assert run_due_jobs_here(queues=["downloads"]) == []  # not due before its back-off has passed
            with connection.cursor() as cursor:
                cursor.execute("UPDATE procrastinate_jobs SET scheduled_at = now() WHERE id = %s", [job.id])
        else:
            assert outcome == [("layers.write_download", "failed")] and job.status == "failed"
    assert [round(w) for w in waits] == [2, 4, 8, 16]  # 2 ** (earlier attempts + 1) seconds
    listing = admin_client.get("/admin/procrastinate/procrastinatejob/", {"status": "failed"})
    assert listing.status_code == 200 and b"write_download" in listing.content
    # the folder fixed: the next request queues the file again and it is written
    settings.LAYER_DOWNLOAD_DIR = tmp_path / "downloads"
    assert Client().get("/ogc/collections/heritage-sites/download/csv").status_code == 503
    assert run_due_jobs_here(queues=["downloads"]) == [("layers.write_download", "succeeded")]
    assert Client().get("/ogc/collections/heritage-sites/download/csv").status_code == 200


@pytest.mark.django_db
def test_rerouting_is_queued_by_its_command_and_run_by_a_job():
    out = io.StringIO()
    call_command("issues_reroute", "--commit", stdout=out)
    [job] = waiting("issues.reroute")
    assert f"queued as job {job.id}" in out.getvalue()
    assert run_due_jobs_here(queues=["bulk"]) == [("issues.reroute", "succeeded")]
    call_command("issues_reroute", stdout=out)  # a dry run queues nothing
    assert not waiting("issues.reroute")


def run_worker(*queues: str) -> str:
    """`manage.py procrastinate worker --one-shot`, in its own process, on the test database; its output."""
    url = "postgis://{USER}:{PASSWORD}@{HOST}:{PORT}/{NAME}".format(**connection.settings_dict)
    done = subprocess.run(
        [sys.executable, "manage.py", "procrastinate", "worker", "--one-shot", f"--queues={','.join(queues)}"],
        cwd=settings.BASE_DIR, capture_output=True, text=True, timeout=120,
        env={**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "gis_portal.settings.dev",
             "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend", "LOG_LEVEL": "INFO"})
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout + done.stderr


@pytest.mark.django_db(transaction=True)
def test_the_worker_sends_a_new_reports_email_soon_after_it_commits():
    from tests.conftest import load_demo_data

    load_demo_data()
    report = a_report()
    assert len(waiting("issues.send_outbox")) == 1  # queued when the report committed
    a_report(22.9500, 40.6300)
    assert len(waiting("issues.send_outbox")) == 1  # one waiting run serves both
    output = run_worker("mail")
    assert Notification.objects.count() == 2 and not Notification.objects.filter(sent_at__isnull=True).exists()
    assert Notification.objects.get(issue=report.issue).sent_at is not None
    assert "issues.send_outbox" in output and "status: Success" in output  # (the minute's periodic run may share the work)
    # the run the reports queued is done (a periodic run the worker queued at a minute's turn may still wait)
    assert not [job for job in waiting("issues.send_outbox") if "timestamp" not in job.args]
