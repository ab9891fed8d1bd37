"""Every benchmark (bench/bench_*.py) runs in smoke mode (`--smoke`: tiny sizes, a few seconds) and exits 0.
Each runs as a subprocess on a copy of the test database, all at the same time and started as soon as the session
has loaded the demo data (tests/conftest.py), so they run beside the other tests: those that only add rows share one copy; one that empties a table or swaps triggers has its own. A peer that needs its own install (tipg) is used only
when already installed; the project's own code path always runs."""
import os
import sys
from pathlib import Path

import pytest

from tests.support import background
from tests.support.background import BENCH_RUNS
from tests.support.browser import _copy_database, _database_url, drop_database_later

ROOT = Path(__file__).resolve().parents[2]
BENCHES = sorted(path.stem.removeprefix("bench_") for path in (ROOT / "bench").glob("bench_*.py"))
TIMEOUT_S = 600  # from the start of the run, which goes on beside the other tests
# reroute empties issues_issue; change_stamps swaps its triggers; national makes (and drops) a schema of its own and
# loads a synthetic country into the layers tables (rolled back); raster_tiles and scenarios register raster layers
# whose files live in their own temporary folders (a shared copy would list layers whose files are gone)
OWN_COPY = {"reroute", "change_stamps", "national", "raster_tiles", "scenarios"}


def start_smoke_runs(source: str, folder: Path) -> dict:
    """Copy the test database `source` (which must have the demo data and no open connection) and start every smoke
    run on its copy, its output in `folder`; tests/conftest.py calls this right after the session loads the demo data,
    so the runs go on beside the other tests."""
    from django.conf import settings

    copies = {name: f"{source}_bench_{name if name in OWN_COPY else 'shared'}" for name in BENCHES}
    for copy in set(copies.values()):
        _copy_database(source, copy)
    environment = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    environment.update(HAZARD_DATA_DIR=str(settings.HAZARD_DATA_DIR), LAYER_DOWNLOAD_DIR=str(settings.LAYER_DOWNLOAD_DIR))
    runs = [background.start(f"bench-{name}", [sys.executable, str(ROOT / "bench" / f"bench_{name}.py"), "--smoke"],
                             cwd=ROOT, env={**environment, "DATABASE_URL": _database_url(copy)}, folder=folder)
            for name, copy in copies.items()]
    return {"runs": runs, "copies": set(copies.values()), "finished": False}


def finish_smoke_runs(config, started: dict) -> None:
    """Wait for the runs or stop them (tests/support/background.py), and drop the copies (once)."""
    if started["finished"]:
        return
    started["finished"] = True
    background.finish(config, started["runs"], TIMEOUT_S)
    for copy in started["copies"]:
        drop_database_later(copy)


@pytest.fixture(scope="module")
def smoke_runs(request, django_db_setup, django_db_blocker):
    folder = background.shared_folder(request.config)
    started = request.config.stash.get(BENCH_RUNS, None)
    if started is None and background.starts_runs():  # not started with the session (not collected then)
        from django.db import connection, connections

        with django_db_blocker.unblock():
            from layers.models import District
            from tests.conftest import load_demo_data

            if not District.objects.exists():  # a transactional test before this one emptied the database
                load_demo_data()
            connections.close_all()
            started = start_smoke_runs(connection.settings_dict["NAME"], folder)
            request.config.stash[BENCH_RUNS] = started
            request.config.add_cleanup(lambda: finish_smoke_runs(request.config, started))
    return {name: background.Run(name=f"bench-{name}", folder=folder).result(TIMEOUT_S) for name in BENCHES}


def test_every_benchmark_is_covered():
    assert {"routing", "create", "reroute", "hazards", "layers", "pages", "change_stamps"} <= set(BENCHES)


@pytest.mark.parametrize("name", BENCHES)
def test_benchmark_runs_in_smoke_mode(smoke_runs, name):
    code, output = smoke_runs[name]
    assert code == 0, output[-3000:]
    assert f"smoke run of {name}: ok" in output, output[-3000:]
