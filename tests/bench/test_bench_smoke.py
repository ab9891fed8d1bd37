"""Every benchmark (bench/bench_*.py) runs in smoke mode (`--smoke`: tiny sizes, a few seconds) and exits 0.
Each runs as a subprocess on a copy of the test database, all at the same time, so the suite waits for the slowest
one only: those that only add rows share one copy; one that empties a table or swaps triggers has its own. A peer that needs its own install (tipg) is used only
when already installed; the project's own code path always runs."""
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.web.harness import _copy_database, _database_url, _drop_database

ROOT = Path(__file__).resolve().parents[2]
BENCHES = sorted(path.stem.removeprefix("bench_") for path in (ROOT / "bench").glob("bench_*.py"))
TIMEOUT_S = 300
# reroute empties issues_issue; change_stamps swaps its triggers; national makes (and drops) a schema of its own and
# loads a synthetic country into the layers tables (rolled back); raster_tiles and scenarios register raster layers
# whose files live in their own temporary folders (a shared copy would list layers whose files are gone)
OWN_COPY = {"reroute", "change_stamps", "national", "raster_tiles", "scenarios"}


@pytest.fixture(scope="module")
def smoke_runs(django_db_setup, django_db_blocker, tmp_path_factory):
    from django.conf import settings
    from django.db import connection, connections

    source = connection.settings_dict["NAME"]
    copies = {name: f"{source}_bench_{name if name in OWN_COPY else 'shared'}" for name in BENCHES}
    logs = tmp_path_factory.mktemp("bench-smoke")
    with django_db_blocker.unblock():
        from layers.models import District
        from tests.conftest import load_demo_data

        if not District.objects.exists():  # a transactional test before this one emptied the database
            load_demo_data()
        connections.close_all()
        for copy in set(copies.values()):
            _copy_database(source, copy)
        environment = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
        environment.update(HAZARD_DATA_DIR=str(settings.HAZARD_DATA_DIR), LAYER_DOWNLOAD_DIR=str(settings.LAYER_DOWNLOAD_DIR))
        started, runs = time.monotonic(), {}
        try:
            for name, copy in copies.items():
                log = open(logs / f"{name}.log", "w+")
                process = subprocess.Popen([sys.executable, str(ROOT / "bench" / f"bench_{name}.py"), "--smoke"],
                                           cwd=ROOT, env={**environment, "DATABASE_URL": _database_url(copy)},
                                           stdout=log, stderr=subprocess.STDOUT)
                runs[name] = (process, log)
            results = {}
            for name, (process, log) in runs.items():
                try:
                    code = process.wait(timeout=max(1, TIMEOUT_S - (time.monotonic() - started)))
                except subprocess.TimeoutExpired:
                    process.kill()
                    code = f"killed after {TIMEOUT_S} s"
                log.seek(0)
                results[name] = (code, log.read())
                log.close()
            yield results
        finally:
            for process, _ in runs.values():
                if process.poll() is None:
                    process.kill()
            for copy in set(copies.values()):
                _drop_database_retrying(copy)


def _drop_database_retrying(name: str, attempts: int = 20) -> None:
    """Drop a copy; the server may refuse a connection for a moment when every slot is taken."""
    import psycopg

    for attempt in range(attempts):
        try:
            return _drop_database(name)
        except psycopg.OperationalError:
            if attempt == attempts - 1:
                raise
            time.sleep(1)


def test_every_benchmark_is_covered():
    assert {"routing", "create", "reroute", "hazards", "layers", "pages", "change_stamps"} <= set(BENCHES)


@pytest.mark.parametrize("name", BENCHES)
def test_benchmark_runs_in_smoke_mode(smoke_runs, name):
    code, output = smoke_runs[name]
    assert code == 0, output[-3000:]
    assert f"smoke run of {name}: ok" in output, output[-3000:]
