"""Fixtures for report tests: an API key, photo storage in a temporary folder, a helper to post reports."""
import io

import pytest
from PIL import Image

from issues.api_keys import api_key_create


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def api_key(db) -> str:
    _key, raw = api_key_create(name="test app", rate_limit_per_minute=1000)
    return raw


@pytest.fixture
def post_report(client, api_key):
    """POST /open311/v2/requests.{fmt} with the API key unless one is given."""

    def post(data: dict, fmt: str = "json", **extra):
        body = {"api_key": api_key, **data}
        body = {k: v for k, v in body.items() if v is not None}
        return client.post(f"/open311/v2/requests.{fmt}", body, **extra)

    return post


def jpeg_with_gps(width=3000, height=2000) -> bytes:
    """A JPEG whose EXIF holds a GPS position (Thessaloniki) and a camera make."""
    image = Image.new("RGB", (width, height), (180, 120, 60))
    exif = Image.Exif()
    exif[0x010F] = "TestCamera"  # Make
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (40.0, 37.0, 30.0)
    gps[3] = "E"
    gps[4] = (22.0, 56.0, 40.0)
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif, quality=70)
    return out.getvalue()
