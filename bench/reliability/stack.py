"""The stack under test: a cluster of its own with the demo data, gunicorn as production runs it, an SMTP sink.

gunicorn runs gis_portal.wsgi with the production settings (DEBUG off, a throwaway SECRET_KEY, ALLOWED_HOSTS
127.0.0.1) and the project's gunicorn.conf.py; requests carry X-Forwarded-Proto: https as from the TLS proxy
in front. E-mail goes over SMTP to a local sink that records every message's Message-ID.
"""
import http.client
import io
import os
import random
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "var" / "reliability"
sys.path.insert(0, str(ROOT))

from bench.reliability.cluster import TemporaryCluster  # noqa: E402

PROXY_HEADERS = {"X-Forwarded-Proto": "https", "Host": "127.0.0.1"}


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


@dataclass
class Stack:
    http_port: int
    pg_port: int
    smtp_port: int
    workers: int
    folder: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="gis-portal-reliability-")))
    cluster: TemporaryCluster | None = None
    server: subprocess.Popen | None = None
    sink: "MailSink | None" = None

    @classmethod
    def from_environment(cls, prefix: str, first_port: int) -> "Stack":
        """Ports from PREFIX_PORT, PREFIX_PGPORT and PREFIX_SMTP_PORT (default: three from first_port on)."""
        return cls(http_port=env_int(f"{prefix}_PORT", first_port), pg_port=env_int(f"{prefix}_PGPORT", first_port + 1),
                   smtp_port=env_int(f"{prefix}_SMTP_PORT", first_port + 2),
                   workers=env_int("GUNICORN_WORKERS", 2 * os.cpu_count() + 1))

    def environment(self) -> dict:
        return {
            "DJANGO_SETTINGS_MODULE": "gis_portal.settings.production",
            "DATABASE_URL": self.cluster.url,
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1",
            "DEBUG": "false",
            "LOG_LEVEL": "WARNING",
            "MEDIA_ROOT": str(self.folder / "media"),
            "HAZARD_DATA_DIR": str(self.folder / "hazards"),
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(self.smtp_port),
            "GUNICORN_BIND": f"127.0.0.1:{self.http_port}",
            "GUNICORN_WORKERS": str(self.workers),
        }

    def up(self) -> None:
        """Cluster, migrations and demo data, collected static files, the SMTP sink and gunicorn."""
        print(f"stack: PostgreSQL cluster of its own on 127.0.0.1:{self.pg_port} in {self.folder}", flush=True)
        self.cluster = TemporaryCluster(self.pg_port)
        self.cluster.create()
        os.environ.update(self.environment())
        import django
        from django.core.management import call_command

        django.setup()
        print("stack: migrating and loading the demo data", flush=True)
        call_command("migrate", verbosity=0)
        for command in ("layers_load_demo", "issues_load_demo", "hazards_load_demo"):
            call_command(command, commit=True, stdout=io.StringIO())
        call_command("collectstatic", interactive=False, verbosity=0)
        close_database()
        self.sink = MailSink(self.smtp_port, self.folder)
        self.start_server()

    def start_server(self) -> None:
        log = open(self.folder / "gunicorn.log", "ab")
        self.server = subprocess.Popen([str(ROOT / ".venv" / "bin" / "gunicorn"), "gis_portal.wsgi"], cwd=ROOT,
                                       env=dict(os.environ), stdout=log, stderr=log)
        deadline = time.monotonic() + 180  # a guard against a server that never starts, generous on a busy machine
        while time.monotonic() < deadline:
            if get_status(self.http_port, "/healthz") == 200:
                print(f"stack: gunicorn on 127.0.0.1:{self.http_port}, {self.workers} sync workers", flush=True)
                return
            time.sleep(0.2)
        raise SystemExit(f"gunicorn did not come up; see {self.folder / 'gunicorn.log'}")

    def worker_pids(self) -> list[int]:
        children = Path(f"/proc/{self.server.pid}/task/{self.server.pid}/children").read_text().split()
        return sorted(int(pid) for pid in children)

    def kill_worker(self, rng: random.Random) -> int:
        pid = rng.choice(self.worker_pids())
        os.kill(pid, signal.SIGKILL)
        return pid

    def server_log_count(self, text: str) -> int:
        path = self.folder / "gunicorn.log"
        return path.read_text(errors="replace").count(text) if path.exists() else 0

    def down(self, keep: bool = False) -> None:
        if self.server is not None and self.server.poll() is None:
            self.server.terminate()
            try:
                self.server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.server.kill()
        if self.sink is not None:
            self.sink.stop()
        close_database()
        if keep:
            print(f"stack: kept {self.folder} (cluster stopped)")
            if self.cluster is not None:
                self.cluster.stop()
            return
        if self.cluster is not None:
            self.cluster.destroy()
        subprocess.run(["rm", "-rf", str(self.folder)], check=False)


def free_port() -> int:
    """A loopback port nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def close_database() -> None:
    from django.db import connections

    connections.close_all()


def get_status(port: int, path: str, timeout: float = 5) -> int | None:
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        connection.request("GET", path, headers=PROXY_HEADERS)
        response = connection.getresponse()
        response.read()
        connection.close()
        return response.status
    except OSError:
        return None


def send_notifications(limit: int = 100_000) -> tuple[int, str]:
    """Run the outbox command as cron would: its exit code and its last line."""
    result = subprocess.run([sys.executable, "manage.py", "issues_send_notifications", "--limit", str(limit)], cwd=ROOT,
                            env=dict(os.environ), capture_output=True, text=True, timeout=600)
    lines = (result.stdout + result.stderr).strip().splitlines()
    return result.returncode, lines[-1] if lines else ""


class MailSink:
    """bench/reliability/mailsink.py in a process of its own; received() lists the Message-IDs it accepted."""

    def __init__(self, port: int, folder: Path):
        self.path = folder / "mail-received.txt"
        self.path.touch()
        self.process = subprocess.Popen([sys.executable, str(Path(__file__).resolve().parent / "mailsink.py"), str(port), str(self.path)],
                                        stdout=subprocess.PIPE, text=True)
        if self.process.stdout.readline().strip() != "ready":
            raise SystemExit(f"the SMTP sink did not start on 127.0.0.1:{port}")

    def received(self) -> list[str]:
        return self.path.read_text().splitlines()

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)
