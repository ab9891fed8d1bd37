"""A short run of the fault script (bench/reliability/faulttest.py): PostgreSQL restarted, stopped and refusing
connections, gunicorn workers killed, under load; nothing acknowledged is lost, nothing is stored or sent twice."""
import json
import os
import shutil
import sys
from pathlib import Path

import pytest

from bench.reliability.cluster import PG_BIN
from bench.reliability.stack import free_port
from tests.support import background
from tests.conftest import PROJECT_ROOT

SKIP_REASON = "starts a PostgreSQL cluster of its own: needs root and the postgresql-15 server (make faulttest installs it)"
CAN_RUN = os.geteuid() == 0 and (PG_BIN / "initdb").exists() and shutil.which("runuser") is not None
pytestmark = pytest.mark.skipif(not CAN_RUN, reason=SKIP_REASON)
TIMEOUT_S = 900
RESULTS = "faulttest.json"


def start_fault_run(folder: Path) -> background.Run:
    """The fault script's short run, started as a subprocess writing its results to `folder`/faulttest.json;
    tests/conftest.py starts it when the session begins (it runs beside the other tests: most of its time is its own
    cluster's set-up and the timeline's waits)."""
    env = {**os.environ, "FAULTTEST_QUICK": "1", "FAULTTEST_RESULTS": str(folder / RESULTS),
           "FAULTTEST_PORT": str(free_port()), "FAULTTEST_PGPORT": str(free_port()),
           "FAULTTEST_SMTP_PORT": str(free_port())}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return background.start("faulttest", [sys.executable, "bench/reliability/faulttest.py"], cwd=PROJECT_ROOT, env=env,
                            folder=folder)


@pytest.fixture(scope="module")
def fault_run(request) -> dict:
    folder = background.shared_folder(request.config)
    run = background.Run(name="faulttest", folder=folder)
    code, log = run.result(TIMEOUT_S)
    assert code == 0, log[-4000:]
    return json.loads((folder / RESULTS).read_text())


def window(results: dict, name: str) -> dict:
    return next(w for w in results["windows"] if w["fault"].startswith(name))


@pytest.mark.parametrize("fault", ["PostgreSQL stopped", "PostgreSQL refusing connections"])
def test_outage_is_answered_503_and_the_server_recovers_by_itself(fault_run, fault):
    seen = window(fault_run, fault)
    assert seen["503"] > 0 and seen["no_answer"] == 0
    assert seen["recovered_after_s"] is not None


def test_every_acknowledged_report_is_stored_once_after_restarts_and_killed_workers(fault_run):
    reports = fault_run["reports"]
    assert reports["acknowledged"] == reports["creates_attempted"] == reports["stored"] > 0
    assert reports["stored_without_acknowledgement"] == 0 and reports["photo_files_missing"] == 0
    assert fault_run["problems"] == []


def test_a_create_retried_with_its_idempotency_key_across_an_outage_is_stored_once(fault_run):
    (first, _), (second, issue_id), (third, same_id) = fault_run["idempotency_probe"]
    assert (first, second, third) == (503, 201, 200) and issue_id == same_id


def test_the_outbox_waits_out_the_outage_then_delivers_every_email_once(fault_run):
    stopped = next(f for f in fault_run["faults"] if f["fault"] == "PostgreSQL stopped")
    assert stopped["outbox"]["exit_code"] != 0 and stopped["outbox"]["messages_during"] == 0
    outbox = fault_run["outbox"]
    assert outbox["notifications"] == outbox["messages_received"] == outbox["distinct_message_ids"] > 0
