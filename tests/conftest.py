"""Shared fixtures: the test database (a real PostGIS) holds the Thessaloniki demo data once per run."""
import json
from pathlib import Path

import pytest
from django.contrib.gis.geos import Point

PROJECT_ROOT = Path(__file__).resolve().parent.parent
KALLIKRATIS = PROJECT_ROOT.parent / "shared" / "data" / "kallikratis" / "thessaloniki-urban-municipalities.geojson"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, tmp_path_factory):
    """Load the demo geography, catalogue and hazard layers into the test database, through the same loaders
    as `make run`; the test run keeps its rasters and downloads in folders of its own."""
    from django.conf import settings

    settings.HAZARD_DATA_DIR = tmp_path_factory.mktemp("hazard-data")
    settings.LAYER_DOWNLOAD_DIR = tmp_path_factory.mktemp("layer-downloads")
    with django_db_blocker.unblock():
        load_demo_data()


def load_demo_data() -> None:
    """The demo geography, catalogue and hazard layers, as `make run` loads them (a transactional test, which
    starts from an empty database, calls it too)."""
    from hazards.demo import load_demo_hazards
    from issues.services import catalogue_load
    from layers.demo import load_demo_geography

    load_demo_geography(commit=True)
    catalogue_load(data=json.loads((PROJECT_ROOT / "fixtures" / "thessaloniki" / "catalogue.json").read_text("utf-8")), commit=True)
    load_demo_hazards(commit=True)


@pytest.fixture
def kallikratis_file() -> Path:
    if not KALLIKRATIS.exists():
        pytest.skip(f"the real boundaries are not here ({KALLIKRATIS}); they sit beside the project in shared/data")
    return KALLIKRATIS


def wgs84(lon: float, lat: float) -> Point:
    return Point(lon, lat, srid=4326)
