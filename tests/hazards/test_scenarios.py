"""Earthquake scenarios end to end: the 1978 preset to the district table, the scenario as a hazard layer every
tool reads, the ranked exposure, deleting it with its rasters, who may use the API, and each bad input."""
import io

import numpy as np
import pytest
from django.conf import settings
from django.contrib.gis.geos import MultiPolygon, Point
from django.test import Client
from PIL import Image

from hazards.exposure import exposure
from hazards.models import EarthquakeScenario, HazardLayer
from hazards.scenarios.services import scenario_inputs, scenario_run
from hazards.selectors import area_statistics, district_levels, hazard_profile
from layers.models import District
from tests.hazards.test_tiles import lonlat_to_tile
from tests.support.staff_accounts import staff_accounts

pytestmark = pytest.mark.django_db

URL = "/api/hazards/scenarios"


@pytest.fixture(autouse=True)
def coarse_grid(settings):
    settings.HAZARD_SCENARIO_CELL_M = 200  # the same code at a fraction of the cells; the benchmark runs 25 m


@pytest.fixture
def planner(django_user_model):
    client = Client()
    client.force_login(staff_accounts(django_user_model, ("planner",))["planner"])
    return client


@pytest.fixture
def replay_1978(planner):
    response = planner.post(URL, {"preset": "thessaloniki-1978"}, content_type="application/json")
    assert response.status_code == 201, response.content
    return response


def test_the_1978_preset_end_to_end_to_the_district_table(replay_1978):
    body = replay_1978.json()
    assert replay_1978["Location"] == f"{URL}/{body['id']}"
    assert body["status"] == "done" and body["name"] == "1978 Thessaloniki earthquake" and body["created_by"] == "dora"
    assert body["inputs"] == {"magnitude": 6.5, "lon": 23.3, "lat": 40.6, "depth_km": 16.0, "mechanism": "normal", "strike": 270.0,
                              "dip": 45.0, "rupture": "finite", "model": "akkar-bommer-2010", "n_sigma": 0.0}
    districts = {d["district"]: d for d in body["results"]["districts"]}
    assert sorted(districts) == ["D1", "D2", "D3", "D4", "D5", "D6"]
    for entry in districts.values():
        assert 0.05 < entry["pga_g"]["mean"] < 0.4 and 5 < entry["mmi"]["mean"] < 8
        assert entry["buildings"]["total"] == sum(c["buildings"] for c in entry["classes"])
        assert sum(entry["buildings"]["expected"].values()) == pytest.approx(entry["buildings"]["total"], abs=3)
        for row in entry["classes"]:
            assert sum(row["shares"].values()) == pytest.approx(1.0, abs=1e-3)
            # the band: the 16th percentile of ground motion damages less than the 84th
            assert row["band"]["p16"]["complete"] < row["shares"]["complete"] < row["band"]["p84"]["complete"]
    # masonry before 1960 fares worse than modern frames in the same district
    classes = {c["building_class"]: c for c in districts["D1"]["classes"]}
    assert classes["urm-pre1960"]["shares"]["complete"] > classes["rc-modern-post1985"]["shares"]["complete"]
    assert body["observed"]["red"] == 0.045 and 0 < body["comparison"]["red_like"] < 1
    assert "relative and uncalibrated" in body["results"]["label"].lower()


def test_the_scenario_is_a_hazard_layer_every_tool_reads(replay_1978, client):
    body = replay_1978.json()
    pga = HazardLayer.objects.get(slug=body["layers"]["pga"])
    mmi = HazardLayer.objects.get(slug=body["layers"]["mmi"])
    assert pga.kind == mmi.kind == "eq_scenario" and pga.units == "g" and mmi.units == "MMI"
    assert "Akkar & Bommer 2010" in pga.provenance and "created by dora" in pga.provenance.lower()
    centre = Point(22.9440, 40.6340, srid=4326)
    entry = hazard_profile(centre, layers=[pga])[0]
    d1 = next(d for d in body["results"]["districts"] if d["district"] == "D1")
    assert entry["status"] == "ok" and d1["pga_g"]["min"] - 0.01 <= entry["value"] <= d1["pga_g"]["max"] + 0.01
    district = District.objects.get(code="D1")
    stats = area_statistics(district.geom, layers=[pga])[0]
    assert stats.statistics["mean"] == pytest.approx(d1["pga_g"]["mean"], rel=0.05)
    assert district_levels(kind="eq_scenario", districts=[district])[0]["kinds"][0]["level"] in ("very_low", "low", "medium", "high")
    heritage = exposure(layer=pga, collection_ids=["heritage-sites"], with_population=False)["collections"][0]
    assert sum(heritage["totals"].values()) == 21 and heritage["totals"]["no_data"] == 0
    x, y = lonlat_to_tile(22.944, 40.634, 12)
    tile = client.get(f"/api/hazards/{pga.slug}/tiles/12/{x}/{y}.png")
    assert tile.status_code == 200 and np.array(Image.open(io.BytesIO(tile.content)))[:, :, 3].max() > 0
    assert client.get(f"/api/hazards/{mmi.slug}/legend").json()["units"] == "MMI"


def test_exposure_is_ranked_by_shaking_with_the_chance_of_damage(replay_1978):
    exposure_ = {c["collection"]: c for c in replay_1978.json()["exposure"]}
    sites = exposure_["heritage-sites"]["features"]
    assert [s["pga_g"] for s in sites] == sorted((s["pga_g"] for s in sites), reverse=True)
    assert all(s["building_class"] == "urm-pre1960" and 0 < s["p_at_least_moderate"] < 1 for s in sites)
    assert all(s["p_at_least_moderate"] is None for s in exposure_["service-points"]["features"])


def test_the_list_get_and_delete_with_its_rasters(replay_1978, planner, django_capture_on_commit_callbacks):
    body = replay_1978.json()
    listed = planner.get(URL).json()
    assert [s["id"] for s in listed["scenarios"]] == [body["id"]] and listed["presets"][0]["id"] == "thessaloniki-1978"
    assert planner.get(f"{URL}/{body['id']}").json()["results"] == body["results"]
    paths = [settings.HAZARD_DATA_DIR / HazardLayer.objects.get(slug=body["layers"][k]).raster_path for k in ("pga", "mmi")]
    assert all(path.exists() for path in paths)
    with django_capture_on_commit_callbacks(execute=True):
        assert planner.delete(f"{URL}/{body['id']}").status_code == 204
    assert not EarthquakeScenario.objects.exists()
    assert not HazardLayer.objects.filter(slug__in=body["layers"].values()).exists()
    assert not any(path.exists() for path in paths)
    assert planner.get(f"{URL}/{body['id']}").status_code == 404
    assert planner.delete(f"{URL}/{body['id']}").status_code == 404


def test_shaking_rises_with_magnitude_and_nearer_epicentres_shake_more(planner):
    def d1_mean(**changes):
        response = planner.post(URL, {"preset": "thessaloniki-1978", **changes}, content_type="application/json")
        return next(d for d in response.json()["results"]["districts"] if d["district"] == "D1")["pga_g"]["mean"]

    assert d1_mean(magnitude=6.0) < d1_mean(magnitude=6.5)
    assert d1_mean(lon=23.10, lat=40.66) > d1_mean()
    assert d1_mean(n_sigma=1) > d1_mean() > d1_mean(n_sigma=-1)


@pytest.mark.parametrize("role, status", [("anonymous", 401), ("roads_staff", 403), ("admin", 200)])
def test_only_planners_and_administrators(django_user_model, role, status):
    client = Client()
    if role != "anonymous":
        client.force_login(staff_accounts(django_user_model, (role,))[role])
    assert client.get(URL).status_code == status
    if status != 200:
        response = client.post(URL, {"preset": "thessaloniki-1978"}, content_type="application/json")
        assert response.status_code == status and not EarthquakeScenario.objects.exists()


BAD = [
    ({"preset": "thessaloniki-1978", "magnitude": 4.5}, "magnitude: magnitude 4.5 is outside the model's range, Mw 5 to 7.6"),
    ({"preset": "thessaloniki-1978", "magnitude": 7.9}, "magnitude: magnitude 7.9 is outside the model's range, Mw 5 to 7.6"),
    ({"preset": "thessaloniki-1978", "magnitude": "big"}, "magnitude: must be a number"),
    ({"preset": "thessaloniki-1978", "lon": 24.9, "lat": 40.6}, "the grid reaches"),
    ({"preset": "thessaloniki-1978", "lat": 95}, "lat: 95 is outside -90 to 90"),
    ({"preset": "thessaloniki-1978", "depth_km": 0}, "depth_km: 0 is outside 1 to 40 km"),
    ({"preset": "thessaloniki-1978", "mechanism": "oblique"}, "mechanism: one of normal, reverse, strike-slip"),
    ({"preset": "thessaloniki-1978", "dip": 0}, "dip: 0 is outside 1 to 90"),
    ({"preset": "thessaloniki-1978", "strike": 400}, "strike: 400 is outside 0 to 360"),
    ({"magnitude": 6.0, "lon": 23.0, "lat": 40.7, "mechanism": "normal"}, "strike: required"),
    ({"preset": "thessaloniki-1978", "rupture": "line"}, "rupture: finite (with strike and dip) or point"),
    ({"preset": "thessaloniki-1978", "model": "gutenberg"}, "model: one of akkar-bommer-2010, boore-atkinson-2008"),
    ({"preset": "thessaloniki-1978", "n_sigma": 2}, "n_sigma: 0 (the median), -1 (16th percentile) or 1 (84th percentile)"),
    ({"preset": "kobe-1995"}, "preset: no preset 'kobe-1995'"),
    ({"lon": 23.0, "lat": 40.7, "mechanism": "normal", "strike": 270, "dip": 45}, "magnitude: required"),
    ({"preset": "thessaloniki-1978", "model": "boore-atkinson-2008", "magnitude": 8.2}, "Mw 5 to 8 (Boore & Atkinson 2008)"),
    ({"preset": "thessaloniki-1978", "dip": "steep"}, "dip: must be a number, got 'steep'"),
    ({"preset": "thessaloniki-1978", "depth_km": True}, "depth_km: must be a number, got True"),
    ({"preset": "thessaloniki-1978", "n_sigma": "1"}, "n_sigma: 0 (the median), -1 (16th percentile) or 1 (84th percentile)"),
    ({"preset": "thessaloniki-1978", "name": {"en": "Replay"}}, "name: Not a valid string"),
]


@pytest.mark.parametrize("body, message", BAD, ids=[m.split(":")[0] + "-" + str(i) for i, (_, m) in enumerate(BAD)])
def test_each_bad_input_is_refused_and_nothing_stored(planner, body, message):
    response = planner.post(URL, body, content_type="application/json")
    assert response.status_code == 400 and message in response.json()["detail"], response.content
    assert not EarthquakeScenario.objects.exists() and not HazardLayer.objects.filter(kind="eq_scenario").exists()


def test_a_body_that_is_not_an_object_is_refused(planner):
    response = planner.post(URL, [1, 2], content_type="application/json")
    assert response.status_code == 400 and "the JSON body must be an object" in response.json()["detail"]


@pytest.mark.django_db(transaction=True)
def test_past_the_deadline_it_answers_202_and_the_job_worker_finishes_it(django_user_model):
    from core.jobs import run_due_jobs_here
    from tests.conftest import load_demo_data

    load_demo_data()
    inputs, name, preset = scenario_inputs({"preset": "thessaloniki-1978"})
    scenario, done = scenario_run(inputs=inputs, name=name, preset=preset, deadline_s=0.0, cell_m=400)
    assert not done and scenario.status == "running"
    assert run_due_jobs_here(queues=["hazards"]) == [("hazards.compute_scenario", "succeeded")]
    scenario.refresh_from_db()
    assert scenario.status == "done" and scenario.pga_layer is not None and scenario.results["districts"]


def test_the_post_answers_202_with_a_url_to_poll(planner, settings):
    settings.HAZARD_SCENARIO_DEADLINE_S = 0.0
    response = planner.post(URL, {"preset": "thessaloniki-1978"}, content_type="application/json")
    assert response.status_code == 202
    body = response.json()
    assert body["status"] == "running" and body["poll"] == f"{URL}/{body['id']}" == response["Location"]


def test_a_scenario_input_out_of_range_is_refused_in_greek_with_accept_language_el(planner):
    response = planner.post(URL, {"preset": "thessaloniki-1978", "depth_km": 0}, content_type="application/json",
                            HTTP_ACCEPT_LANGUAGE="el")
    assert response.status_code == 400
    assert response.json() == {"detail": "depth_km: το 0 είναι εκτός του διαστήματος 1 έως 40 km", "code": "out_of_range",
                               "parameter": "depth_km", "message": "το 0 είναι εκτός του διαστήματος 1 έως 40 km"}


def test_a_scenario_input_out_of_range_is_refused_in_english_without_a_language(planner):
    response = planner.post(URL, {"preset": "thessaloniki-1978", "depth_km": 0}, content_type="application/json")
    assert response.json() == {"detail": "depth_km: 0 is outside 1 to 40 km", "code": "out_of_range", "parameter": "depth_km",
                               "message": "0 is outside 1 to 40 km"}


def test_an_unknown_preset_is_refused_in_greek(planner):
    response = planner.post(URL, {"preset": "kobe-1995"}, content_type="application/json", HTTP_ACCEPT_LANGUAGE="el")
    assert response.status_code == 400 and response.json()["parameter"] == "preset"
    assert response.json()["message"].startswith("δεν υπάρχει έτοιμο σενάριο 'kobe-1995'· ένα από: ")


def test_a_magnitude_outside_the_model_is_refused_in_greek(planner):
    response = planner.post(URL, {"preset": "thessaloniki-1978", "magnitude": 4.5}, content_type="application/json",
                            HTTP_ACCEPT_LANGUAGE="el")
    assert response.status_code == 400 and response.json()["parameter"] == "magnitude"
    assert response.json()["message"].startswith("το μέγεθος 4.5 είναι εκτός του εύρους του μοντέλου, Mw 5 έως 7.6")
