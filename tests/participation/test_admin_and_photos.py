"""Staff create processes in the admin; photos go through the shared photo pipeline, their files kept only with
their rows."""
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection
from PIL import Image
from rest_framework.test import APIClient

from participation.models import Proposal, ProposalPhoto
from participation.services.proposals import proposal_add_photo, proposal_create

from .conftest import inside_point, make_process

pytestmark = pytest.mark.django_db


def test_admin_process_pages_open_for_staff(admin_client):
    make_process(slug="admin-process")
    for path in ["/admin/participation/process/add/", "/admin/participation/process/",
                 "/admin/participation/proposal/", "/admin/participation/comment/"]:
        assert admin_client.get(path).status_code == 200, path


def test_admin_has_no_ballot_pages(admin_client):
    assert admin_client.get("/admin/participation/ballot/").status_code == 404
    assert admin_client.get("/admin/participation/ballotcast/").status_code == 404


def jpeg() -> bytes:
    out = io.BytesIO()
    image = Image.new("RGB", (1200, 800), (30, 140, 60))
    exif = Image.Exif()
    exif[0x010F] = "TestCamera"
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def test_photo_is_checked_stripped_and_thumbnailed(resident):
    author = resident("D1")
    proposal = proposal_create(process=make_process(slug="photos"), author=author, title="Park", body="A park.",
                               place=inside_point("D1"), publish=True)
    client = APIClient()
    client.force_authenticate(author)
    response = client.post(f"/api/participation/proposals/{proposal.id}/photos",
                           {"photo": SimpleUploadedFile("p.jpg", jpeg(), content_type="image/jpeg")}, format="multipart")
    assert response.status_code == 201, response.content
    stored = ProposalPhoto.objects.get()
    with Image.open(stored.photo.path) as image:
        assert not image.getexif()
    assert response.json()["thumbnail_url"].endswith(".jpg")


def test_photo_that_is_not_an_image_is_400_and_nothing_stored(resident):
    author = resident("D1")
    proposal = proposal_create(process=make_process(slug="photos-bad"), author=author, title="Park", body="A park.",
                               publish=True)
    client = APIClient()
    client.force_authenticate(author)
    response = client.post(f"/api/participation/proposals/{proposal.id}/photos",
                           {"photo": SimpleUploadedFile("p.jpg", b"<html>not a photo</html>", content_type="image/jpeg")},
                           format="multipart")
    assert response.status_code == 400 and response.json()["detail"].startswith("photo:")
    assert ProposalPhoto.objects.count() == 0


def stored_files(media_root) -> list[str]:
    return sorted(p.relative_to(media_root).as_posix() for p in media_root.rglob("*") if p.is_file())


def test_a_photo_whose_row_fails_leaves_no_file(resident, media_in_tmp):
    """The proposal is removed while its photo is written: the row's reference fails and the photo and its thumbnail,
    already written to storage, are removed again."""
    author = resident("D1")
    proposal = proposal_create(process=make_process(slug="photos-gone"), author=author, title="Park", body="A park.",
                               publish=True)
    Proposal.objects.filter(pk=proposal.pk).delete()
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the reference is checked at the INSERT, not at COMMIT
    with pytest.raises(IntegrityError):
        proposal_add_photo(proposal=proposal, actor=author,
                           upload=SimpleUploadedFile("p.jpg", jpeg(), content_type="image/jpeg"))
    assert stored_files(media_in_tmp) == []


def test_a_stored_photo_keeps_its_files(resident, media_in_tmp):
    author = resident("D1")
    proposal = proposal_create(process=make_process(slug="photos-kept"), author=author, title="Park", body="A park.",
                               publish=True)
    proposal_add_photo(proposal=proposal, actor=author, upload=SimpleUploadedFile("p.jpg", jpeg(), content_type="image/jpeg"))
    assert [name.split("/")[1] for name in stored_files(media_in_tmp)] == ["photos", "thumbnails"]
