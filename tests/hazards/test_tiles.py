"""Raster hazard tiles and legends."""
import io

import numpy as np
import pytest

pytestmark = pytest.mark.django_db


def lonlat_to_tile(lon, lat, z):
    import math

    n = 2 ** z
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return x, y


def test_raster_tile_decodes_with_colours_inside_and_transparency_outside(client):
    from PIL import Image

    x, y = lonlat_to_tile(22.935, 40.6400, 13)  # covers the city's west and the gulf's edge
    response = client.get(f"/api/hazards/urban-heat/tiles/13/{x}/{y}.png")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    image = Image.open(io.BytesIO(response.content))
    assert image.size == (256, 256) and image.mode == "RGBA"
    alpha = np.array(image)[:, :, 3]
    assert (alpha == 0).any() and (alpha > 0).any()  # data and no data in the same tile


def test_raster_tile_far_away_is_fully_transparent(client):
    from PIL import Image

    response = client.get("/api/hazards/pga-475/tiles/10/100/100.png")
    assert response.status_code == 200
    assert np.array(Image.open(io.BytesIO(response.content)))[:, :, 3].max() == 0


@pytest.mark.parametrize("path, message", [
    ("/api/hazards/pga-475/tiles/3/8/1.png", "does not exist at zoom 3"),
    ("/api/hazards/pga-475/tiles/23/0/0.png", "zoom 23 is outside"),
    ("/api/hazards/nope/tiles/3/1/1.png", "no hazard layer 'nope'"),
    ("/api/hazards/flood-t100/tiles/3/1/1.png", "is a vector layer"),
])
def test_raster_tile_errors(client, path, message):
    response = client.get(path)
    assert response.status_code == 404 and message in response.json()["detail"]


def test_legend(client):
    body = client.get("/api/hazards/pga-475/legend").json()
    assert [c["level"] for c in body["classes"]] == ["very_low", "low", "medium", "high"]
    assert body["classes"][-1] == {"level": "high", "from": 0.24, "to": None, "rgba": [227, 26, 28, 195]}
    assert client.get("/api/hazards/nope/legend").status_code == 404
