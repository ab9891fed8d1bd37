"""A server reading from a real streaming replica, for the replica's tests.

The replica is the project's own: `scripts/start_replica.sh` (a second Debian cluster, pg_basebackup -R), started
once per test module. The module's server is gunicorn with the production settings on a copy of the session's
test database (CREATE DATABASE ... TEMPLATE on the primary, which the replica receives like any other write),
with DATABASE_URL on the primary and DATABASE_REPLICA_URL on the replica.
"""
import os
import re
import secrets
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import psycopg
import requests

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SCRIPT = PROJECT_ROOT / "scripts" / "start_replica.sh"


def replica_script(*arguments: str) -> str:
    """Run scripts/start_replica.sh; its output (the last line names the port)."""
    done = subprocess.run(["bash", str(SCRIPT), *arguments], capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        raise RuntimeError(f"start_replica.sh {' '.join(arguments)} failed: {done.stderr[-2000:]}")
    return done.stdout


def start_replica() -> int:
    found = re.search(r"REPLICA_PORT=(\d+)", replica_script())
    assert found, "start_replica.sh did not name the port"
    return int(found.group(1))


def stop_replica(mode: str = "fast") -> None:
    replica_script("--stop", mode)


def sql(url: str, statement: str, params=None, *, autocommit: bool = True):
    with psycopg.connect(url.replace("postgis://", "postgresql://", 1), autocommit=autocommit, connect_timeout=5) as conn:
        return conn.execute(statement, params).fetchall()


def database_copy_on_replica(suffix: str, loaders: tuple[str, ...]) -> tuple[str, str, str]:
    """Start the project's replica and copy the test database to `<name>_<suffix>` (the demo data loaded by the
    `loaders` commands when the copy has none); the copy's name, its URL on the primary and on the replica."""
    from django.db import connection, connections

    from tests.conftest import PROJECT_ROOT
    from tests.support.browser import _copy_database, _database_url

    port = start_replica()
    source = connection.settings_dict["NAME"]
    copy = f"{source}_{suffix}"
    connections.close_all()
    _copy_database(source, copy)
    primary_url = _database_url(copy)
    replica_url = re.sub(r":\d+/", f":{port}/", primary_url, count=1)
    if not sql(primary_url, "SELECT count(*) FROM layers_district")[0][0]:
        for command in loaders:
            loaded = subprocess.run([sys.executable, "manage.py", command, "--commit"], cwd=PROJECT_ROOT, capture_output=True,
                                    text=True, timeout=300, env={**os.environ, "DATABASE_URL": primary_url,
                                                                 "DJANGO_SETTINGS_MODULE": "gis_portal.settings.dev"})
            assert loaded.returncode == 0, loaded.stderr[-2000:]
    return copy, primary_url, replica_url


def wait_for(condition, timeout: float = 60, what: str = "a condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            value = condition()
            if value:
                return value
        except (psycopg.Error, requests.RequestException):
            pass
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


@dataclass
class ReplicaServer:
    url: str
    primary_url: str
    replica_url: str
    log_path: Path

    def get(self, path: str, session: requests.Session | None = None, **kwargs) -> requests.Response:
        return (session or requests).get(self.url + path, timeout=30, **kwargs)

    def read_from(self, response: requests.Response) -> str:
        return "replica" if response.headers.get("X-Read-From") == "replica" else "primary"

    def caught_up(self) -> bool:
        """The replica has replayed everything the primary wrote until now."""
        target = sql(self.primary_url, "SELECT pg_current_wal_lsn()::text")[0][0]
        return wait_for(lambda: sql(self.replica_url, "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target])[0][0],
                        what="the replica to catch up")

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])


def start_server(*, database_url: str, replica_url: str, port: int, env: dict | None = None) -> tuple[subprocess.Popen, ReplicaServer]:
    log_path = Path(tempfile.mkdtemp(prefix="replica-server-")) / "gunicorn.log"
    server_env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"},
        "DJANGO_SETTINGS_MODULE": "gis_portal.settings.production", "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1", "SECURE_SSL_REDIRECT": "false", "LOG_LEVEL": "WARNING",
        "DATABASE_URL": database_url, "DATABASE_REPLICA_URL": replica_url,
        "MEDIA_ROOT": tempfile.mkdtemp(prefix="replica-media-"), "LAYER_DOWNLOAD_DIR": tempfile.mkdtemp(prefix="replica-dl-"),
        "DATABASE_CONN_MAX_AGE": "0", **(env or {}),  # a shared cluster: no idle connections kept
    }
    command = [sys.executable, "-m", "gunicorn", "gis_portal.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2",
               "--worker-class", "gthread", "--threads", "3", "--log-level", "warning"]
    log = open(log_path, "w")
    process = subprocess.Popen(command, cwd=PROJECT_ROOT, env=server_env, stdout=log, stderr=subprocess.STDOUT)
    server = ReplicaServer(url=f"http://127.0.0.1:{port}", primary_url=database_url, replica_url=replica_url, log_path=log_path)
    try:
        wait_for(lambda: requests.get(server.url + "/healthz", timeout=2).status_code == 200 or process.poll() is not None,
                 timeout=60, what="the server")
    except AssertionError:
        process.terminate()
        raise
    if process.poll() is not None:
        raise RuntimeError("the server stopped: " + server.log_tail())
    return process, server
