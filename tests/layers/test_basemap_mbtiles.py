"""The city's own basemap from a local MBTiles file: tiles served with caching headers (ETag from the file's mtime
and size, 304 when unchanged), the right media type, 404 for a tile it lacks, 503 for a file it cannot read."""
import os

import pytest
from django.test import Client

from tests.support.mbtiles import make_mbtiles, tile_of

pytestmark = pytest.mark.django_db
WHITE_TOWER = (22.9484, 40.6264)


@pytest.fixture
def mbtiles(tmp_path, settings):
    path = tmp_path / "city.mbtiles"
    tiles = make_mbtiles(path)
    settings.BASEMAP_MBTILES = str(path)
    return path, tiles


def url(z, x, y) -> str:
    return f"/basemap/tiles/{z}/{x}/{y}"


def test_a_tile_comes_from_the_file_with_caching_headers(mbtiles):
    _, tiles = mbtiles
    x, y = tile_of(*WHITE_TOWER, 14)
    response = Client().get(url(14, x, y))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response.content == tiles[(14, x, y)]  # the XYZ row, not the file's TMS row
    assert response["Cache-Control"] == "public, max-age=86400"
    assert response["ETag"] and response["Last-Modified"]


def test_an_unchanged_tile_is_not_sent_again(mbtiles):
    x, y = tile_of(*WHITE_TOWER, 13)
    first = Client().get(url(13, x, y))
    again = Client().get(url(13, x, y), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""


def test_a_new_file_gives_a_new_etag(mbtiles):
    path, _ = mbtiles
    x, y = tile_of(*WHITE_TOWER, 13)
    before = Client().get(url(13, x, y))["ETag"]
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))
    after = Client().get(url(13, x, y), HTTP_IF_NONE_MATCH=before)
    assert after.status_code == 200 and after["ETag"] != before


def test_jpeg_tiles_are_sent_as_jpeg(tmp_path, settings):
    path = tmp_path / "photo.mbtiles"
    make_mbtiles(path, fmt="jpg", zooms=(12,))
    settings.BASEMAP_MBTILES = str(path)
    x, y = tile_of(*WHITE_TOWER, 12)
    response = Client().get(url(12, x, y))
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"


@pytest.mark.parametrize("z, x, y", [(14, 0, 0), (30, 1, 1), (3, 8, 0), (3, 0, 8)])
def test_a_tile_the_file_lacks_or_that_cannot_exist_is_404(mbtiles, z, x, y):
    assert Client().get(url(z, x, y)).status_code == 404


def test_without_a_configured_file_the_route_is_404(settings):
    settings.BASEMAP_MBTILES = ""
    assert Client().get(url(12, 2000, 1500)).status_code == 404


def test_a_file_that_is_not_mbtiles_is_503_saying_what_to_check(tmp_path, settings):
    broken = tmp_path / "broken.mbtiles"
    broken.write_bytes(b"this is not sqlite at all" * 100)
    settings.BASEMAP_MBTILES = str(broken)
    response = Client().get(url(12, 2000, 1500))
    assert response.status_code == 503 and "Check BASEMAP_MBTILES" in response.content.decode()
    settings.BASEMAP_MBTILES = str(tmp_path / "missing.mbtiles")
    assert Client().get(url(12, 2000, 1500)).status_code == 503
