"""Hostile uploads: a decompression bomb, a huge-dimension image, an SVG, polyglots (GIF/JS, JPEG/ZIP,
JPEG/HTML), a file whose name or type lies. Each is a 400 naming the problem, and nothing is stored:
no issue row, no history, no file under MEDIA_ROOT."""
import io
import struct
import zipfile
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from issues.models import Issue, IssueUpdate
from tests.issues.test_workspace import report

pytestmark = pytest.mark.django_db
WHITE_TOWER = {"service_code": "pothole", "lat": "40.6264", "long": "22.9484"}


def jpeg(width=64, height=48) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 40, 40)).save(out, format="JPEG")
    return out.getvalue()


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png_bomb(width: int, height: int) -> bytes:
    """A valid 1-bit PNG of the given size whose pixels are all zero: a few kilobytes, gigapixels decoded."""
    row = b"\x00" + b"\x00" * ((width + 7) // 8)
    compressor = zlib.compressobj(9)
    body = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", header) + png_chunk(b"IDAT", body) + png_chunk(b"IEND", b"")


def jpeg_header_claiming(width: int, height: int) -> bytes:
    """A JPEG whose frame header claims a size it does not have."""
    data = bytearray(jpeg(8, 8))
    at = data.find(b"\xff\xc0")
    data[at + 5:at + 9] = struct.pack(">HH", height, width)
    return bytes(data)


def gif_js_polyglot() -> bytes:
    """GIF89a whose header is also the start of a JavaScript statement."""
    return b"GIF89a/*\x01\x00\x01\x00\x00\x00\x00;*/=1;alert(document.domain);//" + b"\x00" * 16 + b";"


def jpeg_zip_polyglot() -> bytes:
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("payload.html", "<b>hi</b>")
    return jpeg() + archive.getvalue()


def jpeg_html_polyglot() -> bytes:
    data = jpeg()
    comment = b"<html><script>alert(1)</script></html>"
    return data[:2] + b"\xff\xfe" + struct.pack(">H", len(comment) + 2) + comment + data[2:]


SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="10" height="10"/></svg>'

ATTACKS = {
    "decompression bomb": (lambda: png_bomb(30_000, 30_000), "bomb.png", "image/png", "megapixels"),
    "huge dimensions": (lambda: jpeg_header_claiming(60_000, 60_000), "huge.jpg", "image/jpeg", "pixels"),
    "long thin strip": (lambda: png_bomb(40_000, 1), "strip.png", "image/png", "pixels a side"),
    "SVG": (lambda: SVG, "drawing.svg", "image/svg+xml", "not a readable JPEG, PNG or WebP"),
    "SVG named as a photo": (lambda: SVG, "photo.jpg", "image/jpeg", "not a readable JPEG, PNG or WebP"),
    "GIF/JS polyglot": (gif_js_polyglot, "photo.gif", "image/gif", "not a readable JPEG, PNG or WebP"),
    "JPEG/ZIP polyglot": (jpeg_zip_polyglot, "photo.jpg", "image/jpeg", "also a ZIP archive"),
    "JPEG/HTML polyglot": (jpeg_html_polyglot, "photo.jpg", "image/jpeg", "it is not only a photo"),
    "JPEG named .png": (jpeg, "photo.png", "image/png", "is named 'photo.png' but is a JPEG image"),
    "JPEG named .html": (jpeg, "page.html", "text/html", "is named 'page.html' but is a JPEG image"),
    "JPEG declared as HTML": (jpeg, "photo", "text/html", "declared as 'text/html' but is a JPEG image"),
    "JPEG declared as PNG": (jpeg, "photo", "image/png", "declared as 'image/png' but is a JPEG image"),
}


def stored_files(media_root) -> list:
    return [p for p in media_root.rglob("*") if p.is_file()] if media_root.exists() else []


@pytest.mark.parametrize("attack", list(ATTACKS))
def test_hostile_report_photo_is_400_and_nothing_is_stored(post_report, media_in_tmp, attack):
    make, name, content_type, message = ATTACKS[attack]
    before = (Issue.objects.count(), IssueUpdate.objects.count())
    response = post_report({**WHITE_TOWER, "media": SimpleUploadedFile(name, make(), content_type=content_type)})
    assert response.status_code == 400, response.content
    description = response.json()[0]["description"]
    assert description.startswith("media: ") and message in description, description
    assert (Issue.objects.count(), IssueUpdate.objects.count()) == before
    assert stored_files(media_in_tmp) == []


@pytest.mark.parametrize("attack", ["decompression bomb", "SVG", "JPEG/ZIP polyglot", "JPEG named .html"])
def test_hostile_resolution_photo_is_400_and_nothing_is_stored(django_user_model, media_in_tmp, attack):
    from django.test import Client

    from issues.models import Department, DepartmentMembership

    issue = report()
    user = django_user_model.objects.create_user("fixer", password="pw-123456")
    DepartmentMembership.objects.create(user=user, department=Department.objects.get(slug="roads-pavements"))
    client = Client()
    client.force_login(user)
    make, name, content_type, _ = ATTACKS[attack]
    photo = SimpleUploadedFile(name, make(), content_type=content_type)
    response = client.post(f"/api/issues/{issue.pk}/actions/resolve", {"note": "done", "photo": photo},
                           HTTP_IF_MATCH=f'"v{issue.version}"')
    assert response.status_code == 400 and response.json()["detail"].startswith("photo: media")
    issue.refresh_from_db()
    assert issue.status == "new" and issue.updates.count() == 1 and stored_files(media_in_tmp) == []


def test_a_real_photo_still_goes_through(post_report, media_in_tmp):
    response = post_report({**WHITE_TOWER, "media": SimpleUploadedFile("IMG_0001.JPG", jpeg(), content_type="image/jpeg")})
    assert response.status_code == 201
    assert len(stored_files(media_in_tmp)) == 2  # the photo and its thumbnail


def test_a_photo_with_a_camera_trailer_is_kept_without_it(post_report, media_in_tmp):
    """Phones append data after the JPEG (motion photos): not an attack; the stored copy is re-encoded."""
    response = post_report({**WHITE_TOWER, "media": SimpleUploadedFile("motion.jpg", jpeg() + b"\x00ftypmp42" + b"\x01" * 500,
                                                                        content_type="image/jpeg")})
    assert response.status_code == 201
    issue = Issue.objects.get(pk=response.json()[0]["service_request_id"])
    assert b"ftypmp42" not in open(issue.photo.path, "rb").read()


def test_the_attack_files_are_what_they_claim_to_be():
    assert Image.open(io.BytesIO(png_bomb(100, 10))).size == (100, 10)
    assert Image.open(io.BytesIO(jpeg_header_claiming(1000, 900))).size == (1000, 900)
    assert Image.open(io.BytesIO(jpeg_zip_polyglot())).format == "JPEG"
    assert zipfile.ZipFile(io.BytesIO(jpeg_zip_polyglot())).namelist() == ["payload.html"]
    assert Image.open(io.BytesIO(jpeg_html_polyglot())).format == "JPEG"
