"""Tours, walking routes and the heritage pages: each rule on its own, over small records built here (no files)."""
import json

import gpxpy
import pytest
from django.contrib.gis.geos import LineString, Point
from django.db import IntegrityError, transaction

from heritage.errors import HeritageError
from heritage.models import RouteStop, TourHotspot
from heritage.services import (HotspotInput, MediaInput, SceneInput, StopInput, cultural_object_save,
                               monument_for_site, organisation_upsert, route_save, tour_hotspot_add, tour_save)
from layers.models import HeritageSite

pytestmark = pytest.mark.django_db
CC0 = "http://creativecommons.org/publicdomain/zero/1.0/"


def _object(identifier, *, kind, edm_type, monument, organisation, mime, period="byzantine"):
    obj, _ = cultural_object_save(
        identifier=identifier, organisation=organisation, monument=monument, kind=kind, edm_type=edm_type,
        title_el=f"{identifier} (ελ)", title_en=f"{identifier} (en)", subjects=["test"], period=period, rights=CC0,
        attribution="Test file, CC0", media=[MediaInput(path=f"heritage/test/{identifier}", mime=mime)])
    return obj


@pytest.fixture
def journeys():
    """Two tours (two scenes and one scene), a 3D object, a route with three stops; no files are written."""
    keeper, _ = organisation_upsert(slug="test-ephorate", name_el="Εφορεία", name_en="Ephorate", kind="ephorate")
    walls = monument_for_site(site=HeritageSite.objects.get(slug="city-walls"), organisation=keeper)
    fortress = monument_for_site(site=HeritageSite.objects.get(slug="heptapyrgion"), organisation=keeper)
    panorama = _object("test-panorama", kind="panorama", edm_type="IMAGE", monument=walls, organisation=keeper,
                       mime="image/jpeg")
    model = _object("test-model", kind="3d-model", edm_type="3D", monument=fortress, organisation=keeper,
                    mime="model/gltf-binary")
    photo = _object("test-photo", kind="photograph", edm_type="IMAGE", monument=fortress, organisation=keeper,
                    mime="image/jpeg", period="modern")
    image = panorama.media.get()

    def scene(slug, lon, monument=None):
        return SceneInput(slug=slug, title_el=slug, title_en=slug.title(), panorama=image,
                          place=Point(lon, 40.643, srid=4326), monument=monument)

    upper = tour_save(slug="upper", title_el="Άνω", title_en="Upper", scenes=[scene("gate", 22.959, walls),
                                                                                scene("tower", 22.961, fortress)],
                      hotspots=[HotspotInput(scene="gate", yaw=10, pitch=0, target_scene="tower", label_el="Πύργος",
                                             label_en="Tower")])
    other = tour_save(slug="other", title_el="Άλλη", title_en="Other", scenes=[scene("square", 22.95)])
    line = LineString((22.9543, 40.6416), (22.9617, 40.6436), (22.9594, 40.6425), srid=4326)
    route = route_save(slug="walls", title_el="Τείχη", title_en="The walls", line=line, stops=[
        StopInput(monument=fortress, title_el="Επταπύργιο", title_en="Heptapyrgion", text_en="The fortress."),
        StopInput(scene=upper.scenes.get(slug="gate"), title_el="Πύλη", title_en="Gate (panorama)"),
        StopInput(cultural_object=model, title_el="Μοντέλο", title_en="Model"),
    ])
    return {"upper": upper, "other": other, "route": route, "walls": walls, "fortress": fortress, "model": model,
            "photo": photo, "line": line}


def test_route_stops_hold_unique_positions(journeys):
    route = journeys["route"]
    assert list(route.stops.values_list("position", "title_en")) == [
        (1, "Heptapyrgion"), (2, "Gate (panorama)"), (3, "Model")]
    with pytest.raises(IntegrityError, match="routestop_unique_position"), transaction.atomic():
        RouteStop.objects.create(route=route, position=2, monument=journeys["walls"], title_el="x", title_en="x")


def test_a_stop_is_one_place_only(journeys):
    with pytest.raises(HeritageError, match="exactly one of a monument, an object or a panorama") as refused:
        route_save(slug="walls", title_el="Τείχη", title_en="The walls", line=journeys["line"], stops=[
            StopInput(monument=journeys["walls"], cultural_object=journeys["model"], title_el="x", title_en="x")])
    assert refused.value.parameter == "stops"
    assert journeys["route"].stops.count() == 3  # the stored route is kept whole


def test_a_hotspot_to_a_scene_of_another_tour_is_refused(journeys):
    gate = journeys["upper"].scenes.get(slug="gate")
    elsewhere = journeys["other"].scenes.get(slug="square")
    with pytest.raises(HeritageError, match="a scene of the same tour") as refused:
        tour_hotspot_add(scene=gate, yaw=0, pitch=0, label_el="Αλλού", label_en="Elsewhere", target_scene=elsewhere)
    assert refused.value.parameter == "target_scene"
    assert TourHotspot.objects.filter(scene=gate).count() == 1


def test_a_tour_hotspot_to_a_scene_it_does_not_have_is_refused(journeys):
    upper = journeys["upper"]
    with pytest.raises(HeritageError, match="upper has no scene 'square'"):
        tour_save(slug="upper", title_el="Άνω", title_en="Upper", scenes=[
            SceneInput(slug="gate", title_el="g", title_en="g", panorama=upper.scenes.get(slug="gate").panorama,
                       place=Point(22.959, 40.643, srid=4326))],
            hotspots=[HotspotInput(scene="gate", yaw=0, pitch=0, target_scene="square", label_el="x", label_en="x")])
    assert upper.scenes.count() == 2


def test_a_scene_needs_a_panorama_image(journeys):
    with pytest.raises(HeritageError, match="the panorama must be an image of a panorama object") as refused:
        tour_save(slug="flat", title_el="Επίπεδη", title_en="Flat", scenes=[
            SceneInput(slug="photo", title_el="φ", title_en="p", panorama=journeys["photo"].media.get(),
                       place=Point(22.96, 40.643, srid=4326))])
    assert refused.value.parameter == "scenes"


@pytest.mark.parametrize("path", ["/heritage/tours/nowhere/", "/heritage/routes/nowhere/",
                                  "/heritage/routes/nowhere.gpx", "/heritage/objects/test-photo/3d/",
                                  "/heritage/monuments/999999/"])
def test_an_unknown_tour_route_model_or_monument_is_404(client, journeys, path):
    assert client.get(path).status_code == 404


def test_gpx_export_is_gpx_1_1_with_a_track_and_a_waypoint_per_stop(client, journeys):
    response = client.get("/heritage/routes/walls.gpx", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/gpx+xml")
    assert 'filename="walls.gpx"' in response["Content-Disposition"]
    gpx = gpxpy.parse(response.content.decode())
    assert gpx.version == "1.1"
    [track] = gpx.tracks
    assert [(p.longitude, p.latitude) for p in track.segments[0].points] == list(journeys["line"].coords)
    heptapyrgion = HeritageSite.objects.get(slug="heptapyrgion").geom
    assert [w.name for w in gpx.waypoints] == ["1. Heptapyrgion", "2. Gate (panorama)", "3. Model"]
    assert (gpx.waypoints[0].longitude, gpx.waypoints[0].latitude) == (round(heptapyrgion.x, 7), round(heptapyrgion.y, 7))
    assert (gpx.waypoints[1].longitude, gpx.waypoints[1].latitude) == (22.959, 40.643)  # the panorama's place
    assert gpx.waypoints[0].description == "The fortress."


def test_ogc_collection_lists_routes_with_their_line(client, journeys):
    response = client.get("/ogc/collections/heritage-routes/items", {"f": "json"})
    body = json.loads(b"".join(response.streaming_content) if response.streaming else response.content)
    [feature] = body["features"]
    assert feature["geometry"] == {"type": "LineString", "coordinates": [list(c) for c in journeys["line"].coords]}
    assert feature["properties"]["slug"] == "walls" and feature["properties"]["stops"] == 3
    on_the_ground = journeys["line"].transform(2100, clone=True).length  # metres in the Greek grid
    assert abs(feature["properties"]["length_m"] - on_the_ground) < 0.01 * on_the_ground


def test_home_filters_by_period_type_and_organisation(client, journeys):
    page = client.get("/heritage/", {"edm_type": "3D", "organisation": "test-ephorate"}, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert [point["title"] for point in page.context["page_config"]["points"]] == ["test-model (en)"]
    assert "/heritage/objects/test-model/3d/" in page.content.decode()
    panoramas = client.get("/heritage/", {"organisation": "test-ephorate", "period": "byzantine", "edm_type": "IMAGE"})
    # the panorama at its scene in a tour (the first by slug of the two that show it)
    assert [item["url"] for item in panoramas.context["items"]] == ["/heritage/tours/other/#scene-square"]
    modern = client.get("/heritage/", {"period": "modern", "organisation": "test-ephorate"}).context["items"]
    assert [item["title"] for item in modern] == ["test-photo (ελ)"]  # Greek unless English is asked


def test_home_refuses_an_unknown_period(client, journeys):
    page = client.get("/heritage/", {"period": "jurassic"}, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 400
    assert 'id="id_period-error"' in page.content.decode()


def test_home_pages_its_list(client, journeys):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from heritage.pages.portal import PAGE_SIZE

    client.get("/heritage/")  # the day's first visit is counted with a few more queries
    with CaptureQueriesContext(connection) as three_records:
        client.get("/heritage/", {"organisation": "test-ephorate"})
    keeper = journeys["photo"].organisation
    for number in range(PAGE_SIZE):
        _object(f"test-letter-{number:02d}", kind="document", edm_type="TEXT", monument=journeys["walls"],
                organisation=keeper, mime="image/jpeg")
    with CaptureQueriesContext(connection) as a_full_page:
        first = client.get("/heritage/", {"organisation": "test-ephorate"}).context["page"]
    assert len(a_full_page) <= len(three_records)  # no query per record
    assert (first.paginator.count, first.paginator.num_pages, len(first.object_list)) == (PAGE_SIZE + 3, 2, PAGE_SIZE)
    second = client.get("/heritage/", {"organisation": "test-ephorate", "page": 2})
    assert len(second.context["page"].object_list) == 3
    assert 'href="?organisation=test-ephorate&amp;page=1"' in second.content.decode()  # the filters kept


def test_monument_page_shows_its_objects_tours_routes_and_hazards(client, journeys):
    fortress = journeys["fortress"]
    page = client.get(f"/heritage/monuments/{fortress.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    assert page.status_code == 200
    assert [item["title"] for item in page.context["objects"]] == ["test-model (en)", "test-photo (en)"]
    assert '<a href="/heritage/tours/upper/">Upper</a>' in html
    assert '<a href="/heritage/routes/walls/">The walls</a>' in html
    assert page.context["hazards"] and all(row["label"] for row in page.context["hazards"])
    walls = client.get(f"/heritage/monuments/{journeys['walls'].pk}/").context
    assert [t["slug"] for t in walls["tours"]] == ["upper"] and [r["slug"] for r in walls["routes"]] == ["walls"]


def test_the_site_navigation_leads_to_the_heritage_home(client):
    html = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<li><a href="/heritage/">Cultural heritage</a></li>' in html


def test_saving_a_route_or_tour_again_unchanged_keeps_its_change_time(journeys):
    route, upper = journeys["route"], journeys["upper"]
    again = route_save(slug="walls", title_el="Τείχη", title_en="The walls", line=journeys["line"], stops=[
        StopInput(monument=stop.monument, cultural_object=stop.cultural_object, scene=stop.scene, title_el=stop.title_el,
                  title_en=stop.title_en, text_en=stop.text_en) for stop in route.stops.all()])
    assert again.modified == route.modified
    scenes = [SceneInput(slug=s.slug, title_el=s.title_el, title_en=s.title_en, panorama=s.panorama, place=s.place,
                         monument=s.monument) for s in upper.scenes.all()]
    hotspot = HotspotInput(scene="gate", yaw=10, pitch=0, target_scene="tower", label_el="Πύργος", label_en="Tower")
    assert tour_save(slug="upper", title_el="Άνω", title_en="Upper", scenes=scenes, hotspots=[hotspot]).modified == upper.modified
    moved = HotspotInput(scene="gate", yaw=20, pitch=0, target_scene="tower", label_el="Πύργος", label_en="Tower")
    assert tour_save(slug="upper", title_el="Άνω", title_en="Upper", scenes=scenes, hotspots=[moved]).modified > upper.modified
