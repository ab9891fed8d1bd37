"""A database connection lost while a report with a photo is stored: before COMMIT the photo files go (nothing was
stored); during COMMIT itself, when it is unknown whether the report was stored, they are kept.

The connection is really lost: a trigger on the reports table ends its own server process."""
import io
import json

import pytest
from django.contrib.gis.geos import Point
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError, connection
from PIL import Image

from issues.models import Category
from core.photos import process_photo
from issues.services.catalogue import catalogue_load
from issues.services.reporting import issue_report
from layers.demo import load_demo_geography
from tests.conftest import PROJECT_ROOT

pytestmark = pytest.mark.django_db(transaction=True)

LOSE_CONNECTION = """
CREATE FUNCTION test_lose_connection() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN PERFORM pg_terminate_backend(pg_backend_pid()); RETURN NULL; END $$;
CREATE CONSTRAINT TRIGGER test_lose_connection AFTER INSERT ON issues_issue {timing}
    FOR EACH ROW EXECUTE FUNCTION test_lose_connection();
"""


@pytest.fixture
def lose_connection():
    """Install the trigger (at COMMIT or at the INSERT itself), and remove it again whatever happens."""
    load_demo_geography(commit=True)
    catalogue_load(data=json.loads((PROJECT_ROOT / "fixtures" / "thessaloniki" / "catalogue.json").read_text("utf-8")), commit=True)

    def install(timing: str):
        with connection.cursor() as cursor:
            cursor.execute(LOSE_CONNECTION.format(timing=timing))

    yield install
    connection.close()  # the lost one
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER IF EXISTS test_lose_connection ON issues_issue; DROP FUNCTION IF EXISTS test_lose_connection()")


def report_with_photo():
    out = io.BytesIO()
    Image.new("RGB", (640, 480), (200, 40, 40)).save(out, format="JPEG")
    photo = process_photo(SimpleUploadedFile("p.jpg", out.getvalue(), content_type="image/jpeg"))
    return issue_report(category=Category.objects.get(service_code="pothole"), point=Point(22.944, 40.634, srid=4326),
                        actor="test", photo=photo)


def stored_files(media_root) -> list[str]:
    return sorted(p.relative_to(media_root).as_posix() for p in media_root.rglob("*") if p.is_file())


def test_connection_lost_during_commit_keeps_the_photo_files(lose_connection, media_in_tmp):
    lose_connection("DEFERRABLE INITIALLY DEFERRED")
    with pytest.raises(OperationalError, match="terminating connection"):
        report_with_photo()
    kept = stored_files(media_in_tmp)
    assert [name.split("/")[1] for name in kept] == ["photos", "thumbnails"]


def test_connection_lost_before_commit_removes_the_photo_files(lose_connection, media_in_tmp):
    lose_connection("NOT DEFERRABLE")
    with pytest.raises(OperationalError, match="terminating connection"):
        report_with_photo()
    assert stored_files(media_in_tmp) == []
