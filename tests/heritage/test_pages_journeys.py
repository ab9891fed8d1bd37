"""The heritage journeys in the browser: a tour's hotspot moves Pannellum to the next scene, its link to an object opens
the 3D page where the model loads in model-viewer, the home lists the records; on a phone in Greek, a walking route's
page shows its stops on the map and as a list, and a stop leads to its monument (the demo's tour, model and route);
every page checked against WCAG 2.1 AA."""
import re

import pytest
from playwright.sync_api import expect

from tests.support.browser import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


@pytest.fixture(scope="module")
def demo_journeys(web_server):
    return web_server.django("from heritage.demo_journeys import load_demo_journeys\n"
                             "result = load_demo_journeys(commit=True)")


def test_tour_hotspot_model_and_route_stops(web, demo_journeys):
    assert demo_journeys["tours"] == demo_journeys["routes"] == 1

    tour = web.page("/heritage/tours/ano-poli/", lang="en")
    viewer = tour.locator("#tour-viewer")
    expect(viewer).to_have_attribute("data-scene", "vlatadon", timeout=20000)
    expect(tour.locator("#scene-vlatadon")).to_have_attribute("aria-current", "step")
    hotspot = tour.locator("#tour-viewer .tour-hotspot--scene").first
    expect(hotspot).to_be_visible()
    hotspot.click()
    expect(viewer).to_have_attribute("data-scene", "heptapyrgion", timeout=20000)
    expect(tour.locator("#tour-current")).to_have_text("Now showing: Heptapyrgion")
    tour.locator("#scene-trigonion .scene-show").click()  # the text list moves the viewer too
    expect(viewer).to_have_attribute("data-scene", "trigonion", timeout=20000)
    expect(tour.locator("#tour-map .leaflet-marker-icon")).to_have_count(3)
    assert_accessible(tour, "tour page")

    tour.locator("#scene-heptapyrgion a", has_text="The tower in 3D").click()  # a hotspot to an object, as text
    expect(tour).to_have_url(re.compile(r"/heritage/objects/demo-heptapyrgion-tower-model/3d/$"))
    loaded = tour.evaluate("""() => customElements.whenDefined("model-viewer").then(() => new Promise((ok, fail) => {
        const viewer = document.querySelector("#model-viewer");
        if (viewer.loaded) { ok("loaded"); }
        viewer.addEventListener("load", () => ok("load event"));
        viewer.addEventListener("error", (event) => fail(new Error(JSON.stringify(event.detail))));
    }))""")
    assert loaded in ("load event", "loaded")
    assert_accessible(tour, "3D page")
    tour.get_by_role("link", name="Cultural heritage").first.click()
    expect(tour.locator("#record-list > li")).to_have_count(5)  # three panoramas, the model, the chime
    expect(tour.locator("#heritage-map .leaflet-marker-icon, #heritage-map .marker-cluster").first).to_be_visible()
    assert_accessible(tour, "home page")

    # on a phone, in Greek: the route's stops on the map and as a list, then a stop's monument
    route = web.page("/heritage/routes/along-the-walls/", lang="el", phone=True)
    expect(route.locator("#stop-list > li h3")).to_have_text(
        ["Μονή Βλατάδων", "Επταπύργιο (πανόραμα)", "Ένας πύργος σε τρεις διαστάσεις", "Πύργος του Τριγωνίου"])
    expect(route.locator("#route-map .route-stop-marker")).to_have_count(4)
    expect(route.locator("#route-map path.route-line")).to_have_count(1)
    expect(route.locator("#stop-1 audio")).to_have_attribute("src", "/media/heritage/demo/walls-route-chime.wav")
    assert_accessible(route, "route page")
    route.locator("#stop-1 h3 a").click()  # the stop's monument: its page lists the tour and the route
    expect(route.locator("h1")).to_have_text("Μονή Βλατάδων")
    expect(route.locator("#monument-journeys a")).to_have_text(["Άνω Πόλη: εικονική περιήγηση (επίδειξη)",
                                                                "Κατά μήκος των τειχών (επίδειξη)"])
    assert_accessible(route, "monument page")
