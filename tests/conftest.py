"""Shared fixtures: the test database (a real PostGIS) holds the Thessaloniki demo data once per run."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.gis.geos import Point

pytest_plugins = ["tests.support.browser"]

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# The real Kallikratis boundaries (geodata.gov.gr, CC BY 3.0), shipped with the project for its demo.
KALLIKRATIS = PROJECT_ROOT / "fixtures" / "thessaloniki" / "kallikratis.geojson"


@pytest.fixture(scope="session")
def django_db_setup(request, django_db_setup, django_db_blocker, tmp_path_factory):
    """Load the demo geography, catalogue and hazard layers into the test database, through the same loaders
    as `make run`; the test run keeps its rasters and downloads in folders of its own. When browser tests
    run, a copy of that database is kept for their servers (tests/support/browser.py)."""
    from django.conf import settings

    from tests.support.browser import snapshot_demo_database

    settings.HAZARD_DATA_DIR = tmp_path_factory.mktemp("hazard-data")
    settings.LAYER_DOWNLOAD_DIR = tmp_path_factory.mktemp("layer-downloads")
    with django_db_blocker.unblock():
        load_demo_data()
        snapshot_demo_database(request)
        start_bench_smoke_runs(request)


def start_bench_smoke_runs(request) -> None:
    """The benchmarks' smoke runs start on copies of the database just loaded, and run beside the other tests
    (started once per session: tests/support/background.py)."""
    from django.db import connection, connections

    from tests.support import background

    if not background.starts_runs() or not _collected(request.session, "tests/bench/test_bench_smoke.py"):
        return
    from tests.bench.test_bench_smoke import finish_smoke_runs, start_smoke_runs

    connections.close_all()
    started = start_smoke_runs(connection.settings_dict["NAME"], background.shared_folder(request.config))
    request.config.stash[background.BENCH_RUNS] = started
    request.config.add_cleanup(lambda: finish_smoke_runs(request.config, started))


def _collected(session, path: str) -> bool:
    return any(item.nodeid.startswith(path + "::") for item in session.items)


def pytest_collection_modifyitems(config, items):
    """`make test` hands the tests to its workers one by one in pytest-django's order (`--dist load`: each worker
    still runs the tests that empty its database after the others), and tells them apart by their ids: the schema
    fuzzing's cases (one per operation) share their function's id unless given their own."""
    for item in items:
        if item.nodeid.rsplit("::", 1)[-1] != item.name:
            item._id = item.parent.id.child(item.name)


def pytest_collection_finish(session):
    """The fault script's run needs nothing of the session: it starts now (once per session:
    tests/support/background.py) and runs beside the other tests."""
    from tests.support import background

    if session.config.option.collectonly or not background.starts_runs() \
            or not _collected(session, "tests/system/test_faults.py"):
        return
    from tests.system.test_faults import CAN_RUN, TIMEOUT_S, start_fault_run

    if CAN_RUN:
        run = start_fault_run(background.shared_folder(session.config))
        session.config.add_cleanup(lambda: background.finish(session.config, [run], TIMEOUT_S))


def pytest_sessionfinish(session, exitstatus):
    from tests.support.background import INTERRUPTED

    session.config.stash[INTERRUPTED] = exitstatus == pytest.ExitCode.INTERRUPTED or bool(session.shouldstop)


def load_demo_data() -> None:
    """The demo geography, catalogue and hazard layers, as `make run` loads them (a transactional test, which
    starts from an empty database, calls it too)."""
    from hazards.demo import load_demo_hazards
    from issues.services.catalogue import catalogue_load
    from layers.demo import load_demo_geography

    load_demo_geography(commit=True)
    catalogue_load(data=json.loads((PROJECT_ROOT / "fixtures" / "thessaloniki" / "catalogue.json").read_text("utf-8")), commit=True)
    load_demo_hazards(commit=True)


@pytest.fixture
def kallikratis_file() -> Path:
    return KALLIKRATIS


def wgs84(lon: float, lat: float) -> Point:
    return Point(lon, lat, srid=4326)


def run_django(code: str, **env) -> subprocess.CompletedProcess:
    """Run code in a fresh Python with Django set up under the given environment."""
    full_env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE"}}
    full_env.update(env)
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()\n" + code],
        cwd=PROJECT_ROOT, env=full_env, capture_output=True, text=True, timeout=180,
    )


# Tables a request could change; counters of limits and sessions change on purpose and are left out.
FINGERPRINT_APPS = ("issues", "layers", "hazards", "auth", "authtoken", "admin")


def database_fingerprint() -> dict[str, tuple[int, str]]:
    """Row count and a hash of every row of each table a request could change, to show nothing changed."""
    from django.apps import apps
    from django.db import connection
    from psycopg import sql

    tables = sorted({model._meta.db_table for app in FINGERPRINT_APPS for model in apps.get_app_config(app).get_models()})
    fingerprint = {}
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(sql.SQL(
                "SELECT count(*), md5(coalesce(string_agg(md5(t::text), '' ORDER BY md5(t::text)), '')) FROM {} AS t"
            ).format(sql.Identifier(table)))
            fingerprint[table] = cursor.fetchone()
    return fingerprint


@pytest.fixture(autouse=True)
def english_outside_requests():
    """A service called directly (not through a request) says its refusals in English, as the APIs do for a client
    that asks for no language; each request a test makes still activates the language it asks for."""
    from django.utils import translation

    with translation.override("en"):
        yield
