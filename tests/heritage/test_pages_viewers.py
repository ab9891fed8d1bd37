"""The object page's deep zoom and the compare page, in Chromium: OpenSeadragon asks for the IIIF tiles and paints
them, the keyboard zooms, the text alternative is there; Mirador loads both manifests; a bad identifier is a 400
page that marks the field."""
import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

SETUP = """
from django.conf import settings
from django.contrib.gis.geos import Point
from PIL import Image, ImageDraw
from heritage.services import MediaInput, cultural_object_save, media_pyramids_ingest, organisation_upsert

organisation, _ = organisation_upsert(slug="viewer-museum", name_el="Μουσείο", name_en="Viewer museum", kind="museum")
for number, identifier in enumerate(identifiers):
    path = f"heritage/test/{identifier}.jpg"
    target = settings.MEDIA_ROOT / path
    target.parent.mkdir(parents=True, exist_ok=True)
    image = Image.new("RGB", (1500, 1000))
    draw = ImageDraw.Draw(image)
    for x in range(0, 1500, 50):
        draw.rectangle([(x, 0), (x + 49, 1000)], fill=((x * 7 + number * 90) % 256, (x * 3) % 256, 255 - x % 256))
    image.save(target, "JPEG", quality=90)
    cultural_object_save(identifier=identifier, organisation=organisation, kind="artwork", edm_type="IMAGE",
                         title_en=f"Stripes {number + 1}", title_el=f"Ρίγες {number + 1}", subjects=["test"],
                         date="2020", place=Point(22.94, 40.63, srid=4326),
                         rights="http://creativecommons.org/licenses/by/4.0/", attribution="Test image, CC BY 4.0",
                         media=[MediaInput(path=path, mime="image/jpeg", width=1500, height=1000)])
    media_pyramids_ingest(identifier=identifier)
result = True
"""
PAINTED = """() => {
  const canvas = document.querySelector("#deep-zoom canvas");
  if (!canvas || !canvas.width) return false;
  const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
  const colours = new Set();
  for (let i = 0; i < pixels.length; i += 4 * 61) if (pixels[i + 3]) colours.add((pixels[i] << 16) | (pixels[i + 1] << 8) | pixels[i + 2]);
  return colours.size > 8;
}"""


@pytest.fixture(scope="module")
def objects(web_server):
    web_server.django(SETUP, identifiers=["viewer-stripes", "viewer-stripes-two"])
    return web_server


def test_deep_zoom_paints_its_tiles_and_compare_loads_both_manifests(web, objects):
    page = web.page(None, lang="en", phone=True)
    tiles = []
    page.on("response", lambda r: tiles.append(r.url) if re.search(r"/iiif/3/viewer-stripes-1/[^/]+/[^/]+/0/default\.jpg$", r.url)
            and r.status == 200 else None)
    page.goto("/heritage/objects/viewer-stripes/")
    expect(page.locator("#image-alternative")).to_contain_text("Stripes 1")
    expect(page.get_by_role("img", name=re.compile("Stripes 1"))).to_be_visible()
    page.wait_for_function(PAINTED)
    assert tiles, "no tile was asked for"
    first = len(tiles)
    zoom_in = page.get_by_role("button", name="Zoom in")
    zoom_in.focus()
    for _ in range(3):
        page.keyboard.press("Enter")
    page.wait_for_function("() => performance.getEntriesByType('resource').some(e => /0,0,512,512\\/512,512\\//.test(e.name))")
    assert not any("/0,0,512,512/512,512/" in url for url in tiles[:first])  # the phone's first view: a smaller level
    assert len(tiles) > first  # zoomed in: the full-resolution tiles
    expect(page.get_by_text("CC BY 4.0").first).to_be_visible()
    expect(page.locator("#citation")).to_contain_text("Stripes 1 (2020). Viewer museum. CC BY 4.0.")
    web.screenshot(page, "deep-zoom")

    compare = web.page(None, lang="el")
    manifests = []
    compare.on("response", lambda r: manifests.append((r.url, r.status)) if r.url.endswith("/manifest") else None)
    compare.goto("/heritage/compare/?a=viewer-stripes&b=viewer-stripes-two")
    compare.wait_for_function("() => performance.getEntriesByType('resource').filter(e => e.name.endsWith('/manifest'))"
                              ".length == 2")
    for title in ("Ρίγες 1 – εικόνα 1", "Ρίγες 2 – εικόνα 1"):
        expect(compare.locator("#mirador .mirador-canvas-label", has_text=title)).to_be_visible()
    compare.wait_for_function("() => document.querySelectorAll('#mirador .openseadragon-canvas canvas').length >= 2")
    assert set(manifests) == {(f"{objects.url}/iiif/presentation/{name}/manifest", 200)
                              for name in ("viewer-stripes", "viewer-stripes-two")}
    web.screenshot(compare, "compare")

    refused = web.page(None, lang="en")
    response = refused.goto("/heritage/compare/?a=viewer-stripes&b=no-such-object")
    assert response.status == 400
    expect(refused.get_by_label("Second object")).to_have_attribute("aria-invalid", "true")
    expect(refused.locator("#compare-b-error")).to_contain_text("no object no-such-object")
