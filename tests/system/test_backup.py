"""make backup / make restore (scripts/backup.py): a restore into a new database holds the same rows and the same
photos, byte for byte; a restore never overwrites anything and refuses a backup that changed."""
import io
import json
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest
from django.contrib.gis.geos import Point
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from psycopg import sql

from tests.conftest import PROJECT_ROOT

BACKUP = [sys.executable, str(PROJECT_ROOT / "scripts" / "backup.py")]


def database_url(name: str | None = None) -> str:
    from django.db import connection

    settings = {**connection.settings_dict, **({"NAME": name} if name else {})}
    return "postgis://{USER}:{PASSWORD}@{HOST}:{PORT}/{NAME}".format(**settings)


def run_backup(*arguments: str, media_root: Path, hazard_dir: Path, url: str | None = None) -> subprocess.CompletedProcess:
    env = {"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "gis_portal.settings.test", "DATABASE_URL": url or database_url(),
           "MEDIA_ROOT": str(media_root), "HAZARD_DATA_DIR": str(hazard_dir)}
    return subprocess.run([*BACKUP, *arguments], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=300)


def connect(name: str):
    from django.db import connection

    s = connection.settings_dict
    return psycopg.connect(host=s["HOST"], port=s["PORT"], user=s["USER"], password=s["PASSWORD"], dbname=name, autocommit=True)


def drop_database(name: str) -> None:
    with connect("postgres") as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def database_exists(name: str) -> bool:
    with connect("postgres") as admin:
        return admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is not None


def counts(name: str) -> dict[str, int]:
    sys.path.insert(0, str(PROJECT_ROOT / "scripts"))
    from backup import table_counts

    with connect(name) as connection:
        return table_counts(connection)


def jpeg(colour) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (640, 480), colour).save(out, format="JPEG")
    return SimpleUploadedFile("photo.jpg", out.getvalue(), content_type="image/jpeg")


@pytest.fixture
def folders(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    return {"media": tmp_path / "media", "hazards": Path(settings.HAZARD_DATA_DIR), "backups": tmp_path / "backups"}


@pytest.fixture
def restored_name():
    from django.db import connection

    name = f"{connection.settings_dict['NAME']}_restored_{uuid.uuid4().hex[:8]}"
    yield name
    drop_database(name)


def make_backup(folders) -> Path:
    result = run_backup("create", "--to", str(folders["backups"]), media_root=folders["media"], hazard_dir=folders["hazards"])
    assert result.returncode == 0, result.stderr
    (backup,) = folders["backups"].iterdir()
    return backup


@pytest.mark.django_db(transaction=True)
def test_restore_into_a_new_database_has_the_same_counts_and_the_same_photos(folders, restored_name, tmp_path):
    from hazards.demo import load_demo_hazards
    from issues.models import Category, Issue, IssueUpdate
    from core.photos import process_photo
    from issues.services.catalogue import catalogue_load
    from issues.services.lifecycle import issue_transition
    from issues.services.reporting import issue_report
    from layers.demo import load_demo_geography

    # a transactional test starts from whatever the last one left: load the demo data as make run does
    load_demo_geography(commit=True)
    catalogue_load(data=json.loads((PROJECT_ROOT / "fixtures" / "thessaloniki" / "catalogue.json").read_text("utf-8")), commit=True)
    load_demo_hazards(commit=True)
    pothole = Category.objects.get(service_code="pothole")
    for n, colour in enumerate([(200, 30, 30), (30, 200, 30), (30, 30, 200)]):
        issue_report(category=pothole, point=Point(22.944 + n / 1000, 40.634, srid=4326), actor="test", photo=process_photo(jpeg(colour)))
    issue_transition(issue=Issue.objects.first(), to_status="resolved", actor="staff", note="fixed",
                     photo=process_photo(jpeg((90, 90, 90))))
    source = {issue.pk: (issue.photo.name, issue.thumbnail.name) for issue in Issue.objects.exclude(photo="")}
    update_photos = list(IssueUpdate.objects.exclude(photo="").values_list("pk", "photo"))
    assert len(source) == 3 and len(update_photos) == 1

    backup = make_backup(folders)
    assert backup.stat().st_mode & 0o777 == 0o700  # personal data: readable by its owner only
    target_media, target_hazards = tmp_path / "restored" / "media", tmp_path / "restored" / "hazards"
    result = run_backup("restore", str(backup), "--database", restored_name, "--media-root", str(target_media),
                        "--hazard-dir", str(target_hazards), media_root=folders["media"], hazard_dir=folders["hazards"])
    assert result.returncode == 0, result.stderr

    from django.db import connection

    before = counts(connection.settings_dict["NAME"])
    assert counts(restored_name) == before and before["issues_issue"] == 3 and before["layers_districtpiece"] > 0
    with connect(restored_name) as restored:
        photos = {pk: (photo, thumb) for pk, photo, thumb in restored.execute(
            "SELECT id, photo, thumbnail FROM issues_issue WHERE photo <> ''")}
        restored_updates = restored.execute("SELECT id, photo FROM issues_issueupdate WHERE photo <> ''").fetchall()
    assert photos == source and restored_updates == update_photos
    for name in [n for pair in source.values() for n in pair] + [photo for _, photo in update_photos]:
        assert (target_media / name).read_bytes() == (folders["media"] / name).read_bytes(), name
    rasters = list(folders["hazards"].rglob("*.tif"))
    assert rasters
    for raster in rasters:
        assert (target_hazards / raster.relative_to(folders["hazards"])).read_bytes() == raster.read_bytes()


@pytest.fixture(scope="module")
def demo_backup(django_db_setup, django_db_blocker, tmp_path_factory) -> Path:
    """One backup of the test database as the session loaded it, for the tests that refuse a restore."""
    from django.conf import settings

    root = tmp_path_factory.mktemp("demo-backup")
    with django_db_blocker.unblock():
        return make_backup({"media": root / "media", "hazards": Path(settings.HAZARD_DATA_DIR), "backups": root / "backups"})


@pytest.mark.django_db
def test_restore_refuses_a_database_that_exists_and_changes_nothing(folders, demo_backup):
    from django.db import connection

    backup = demo_backup
    name = connection.settings_dict["NAME"]
    before = counts(name)
    result = run_backup("restore", str(backup), "--database", name, "--media-root", str(folders["media"].parent / "new"),
                        media_root=folders["media"], hazard_dir=folders["hazards"])
    assert result.returncode == 1 and f"database {name} already exists" in result.stderr
    assert counts(name) == before and not (folders["media"].parent / "new").exists()


@pytest.mark.django_db
def test_restore_refuses_a_backup_whose_dump_changed_before_creating_anything(folders, restored_name, demo_backup, tmp_path):
    backup = shutil.copytree(demo_backup, tmp_path / "changed")
    with open(backup / "database.dump", "r+b") as dump:
        dump.seek(200)
        byte = dump.read(1)
        dump.seek(200)
        dump.write(bytes([byte[0] ^ 0xFF]))
    result = run_backup("restore", str(backup), "--database", restored_name, "--media-root", str(folders["media"].parent / "new"),
                        media_root=folders["media"], hazard_dir=folders["hazards"])
    assert result.returncode == 1 and "database.dump does not match its checksum" in result.stderr
    assert not database_exists(restored_name)


@pytest.mark.django_db
def test_restore_refuses_a_media_folder_that_is_not_empty(folders, restored_name, tmp_path, demo_backup):
    backup = demo_backup
    occupied = tmp_path / "occupied"
    occupied.mkdir()
    (occupied / "someone-elses-photo.jpg").write_bytes(b"kept")
    result = run_backup("restore", str(backup), "--database", restored_name, "--media-root", str(occupied),
                        media_root=folders["media"], hazard_dir=folders["hazards"])
    assert result.returncode == 1 and "is not empty" in result.stderr
    assert not database_exists(restored_name) and (occupied / "someone-elses-photo.jpg").read_bytes() == b"kept"


def test_backup_of_an_unreachable_database_fails_and_leaves_no_folder(tmp_path):
    result = run_backup("create", "--to", str(tmp_path / "backups"), media_root=tmp_path / "media", hazard_dir=tmp_path / "hz",
                        url="postgis://nobody:wrong@127.0.0.1:9/nowhere")
    assert result.returncode == 1 and "cannot connect to database nowhere" in result.stderr
    assert list((tmp_path / "backups").iterdir()) == []


def test_restore_of_a_folder_that_is_not_a_backup_says_so(tmp_path):
    shutil.copytree(PROJECT_ROOT / "fixtures", tmp_path / "not-a-backup")
    result = run_backup("restore", str(tmp_path / "not-a-backup"), "--database", "unused", "--media-root", str(tmp_path / "m"),
                        media_root=tmp_path / "media", hazard_dir=tmp_path / "hz", url="postgis://nobody:wrong@127.0.0.1:9/nowhere")
    assert result.returncode == 1 and "has no manifest.json" in result.stderr
