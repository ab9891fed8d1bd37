"""The offline basemap's land and sea: land where the municipal boundaries are (the 1978 earthquake's epicentre
among them), sea only inside the data's extent, "no data" beyond it (never sea), and every map bounded by it."""
import json
import re

import pytest
from django.test import Client

from core.basemap_surface import LAND, NO_DATA, SEA, extent, surface_at
from hazards.scenarios.presets import PRESETS

# The regional unit of Thessaloniki (YPES 9026-9039) as its Kallikratis boundaries span it: west, south, east, north.
REGIONAL_UNIT = (22.490, 40.350, 23.766, 41.007)
EPICENTRE_1978 = PRESETS["thessaloniki-1978"]["inputs"]


def test_the_1978_epicentre_is_land():
    assert surface_at(EPICENTRE_1978["lon"], EPICENTRE_1978["lat"]) == LAND


def test_the_1978_epicentre_of_other_catalogues_near_stivos_is_land_too():
    assert surface_at(23.24, 40.70) == LAND


@pytest.mark.parametrize("town, lon, lat", [
    ("Lagadas", 23.068, 40.749), ("Sochos", 23.355, 40.818), ("Chalkidona", 22.601, 40.730), ("Thermi", 23.019, 40.547),
])
def test_towns_of_the_regional_unit_beyond_the_old_square_are_land(town, lon, lat):
    assert surface_at(lon, lat) == LAND, town


@pytest.mark.parametrize("gulf, lon, lat", [("Thermaic", 22.85, 40.55), ("Thessaloniki's bay", 22.93, 40.60),
                                            ("Strymonian", 23.75, 40.70)])
def test_the_gulfs_inside_the_data_are_sea(gulf, lon, lat):
    assert surface_at(lon, lat) == SEA, gulf


@pytest.mark.parametrize("place, lon, lat", [("Veria, land", 22.20, 40.52), ("the Kavala gulf, sea", 24.20, 40.60)])
def test_a_point_beyond_the_data_is_no_data_never_sea(place, lon, lat):
    assert surface_at(lon, lat) == NO_DATA, place


def test_the_data_covers_the_regional_unit_and_the_1978_epicentral_area():
    west, south, east, north = extent()
    assert west <= REGIONAL_UNIT[0] and south <= REGIONAL_UNIT[1] and east >= REGIONAL_UNIT[2] and north >= REGIONAL_UNIT[3]
    assert west < EPICENTRE_1978["lon"] < east and south < EPICENTRE_1978["lat"] < north


def test_without_a_land_and_sea_file_every_point_is_no_data(settings):
    settings.BASEMAP_COASTLINE = ""
    assert surface_at(EPICENTRE_1978["lon"], EPICENTRE_1978["lat"]) == NO_DATA and extent() is None


@pytest.mark.django_db
def test_every_page_s_maps_are_bounded_by_the_data_s_extent():
    html = Client().get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    config = json.loads(re.search(r'<script id="site-config" type="application/json">(.*?)</script>', html, re.S).group(1))
    west, south, east, north = extent()
    assert config["basemap"]["bounds"] == [[south, west], [north, east]]


@pytest.mark.django_db
def test_without_a_land_and_sea_file_the_maps_are_not_bounded(settings):
    settings.BASEMAP_COASTLINE = ""
    html = Client().get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '"bounds": null' in html
