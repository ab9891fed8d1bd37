"""The heritage journeys in the browser: a tour's hotspot moves Pannellum to the next scene, a 3D object loads in
model-viewer, a walking route's page shows its stops on the map and as a list (the demo's tour, model and route)."""
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

    model = web.page("/heritage/objects/demo-heptapyrgion-tower-model/3d/", lang="en")
    loaded = model.evaluate("""() => customElements.whenDefined("model-viewer").then(() => new Promise((ok, fail) => {
        const viewer = document.querySelector("#model-viewer");
        if (viewer.loaded) { ok("loaded"); }
        viewer.addEventListener("load", () => ok("load event"));
        viewer.addEventListener("error", (event) => fail(new Error(JSON.stringify(event.detail))));
    }))""")
    assert loaded in ("load event", "loaded")
    assert_accessible(model, "3D page")

    route = web.page("/heritage/routes/along-the-walls/", lang="en", phone=True)
    expect(route.locator("#stop-list > li h3")).to_have_text(
        ["Vlatadon Monastery", "Heptapyrgion (panorama)", "A tower in 3D", "Trigonion Tower"])
    expect(route.locator("#route-map .route-stop-marker")).to_have_count(4)
    expect(route.locator("#route-map path.route-line")).to_have_count(1)
    expect(route.locator("#stop-1 audio")).to_have_attribute("src", "/media/heritage/demo/walls-route-chime.wav")
    assert_accessible(route, "route page")

    home = web.page("/heritage/?edm_type=IMAGE", lang="el", phone=True)
    expect(home.locator("h1")).to_have_text("Η πολιτιστική κληρονομιά της Θεσσαλονίκης")
    expect(home.locator("#record-list > li")).to_have_count(3)  # the three panoramas
    expect(home.locator("#heritage-map .leaflet-marker-icon").first).to_be_visible()
    expect(home.locator(".heritage-columns a")).to_have_text(["Άνω Πόλη: εικονική περιήγηση (επίδειξη)",
                                                              "Κατά μήκος των τειχών (επίδειξη)"])
    assert_accessible(home, "home page")
