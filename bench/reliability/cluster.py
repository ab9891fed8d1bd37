"""A throwaway PostgreSQL cluster of its own: initdb in a temporary folder, run as the postgres user.

The load and fault checks restart, stop and block this cluster; no other database server is touched.
Set up like scripts/start_db.sh sets up the project's cluster: the role (a superuser of this loopback-only
cluster), a UTF-8 database and the extensions postgis, postgis_raster, pg_trgm and unaccent.
"""
import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path

PGVERSION = os.environ.get("PGVERSION", "15")
PG_BIN = Path(f"/usr/lib/postgresql/{PGVERSION}/bin")
EXTENSIONS = ("postgis", "postgis_raster", "pg_trgm", "unaccent")


class TemporaryCluster:
    def __init__(self, port: int, *, user: str = "gis_portal", password: str = "gis_portal", database: str = "gis_portal"):
        self.port, self.user, self.password, self.database = port, user, password, database
        if not (PG_BIN / "initdb").exists():
            raise SystemExit(f"{PG_BIN}/initdb is missing: install postgresql-{PGVERSION} (scripts/install_system.sh does)")
        self.owner = pwd.getpwnam("postgres")
        self.folder = Path(tempfile.mkdtemp(prefix="gis-portal-pg-"))
        os.chown(self.folder, self.owner.pw_uid, self.owner.pw_gid)
        self.data = self.folder / "data"
        self.log = self.folder / "postgresql.log"
        self.hba = self.data / "pg_hba.conf"

    @property
    def url(self) -> str:
        return f"postgis://{self.user}:{self.password}@127.0.0.1:{self.port}/{self.database}"

    def _run(self, *command: str, check: bool = True) -> subprocess.CompletedProcess:
        """A command as the postgres user (PostgreSQL refuses to run as root)."""
        if os.geteuid() == 0:
            command = ("runuser", "-u", "postgres", "--", *command)
        elif os.geteuid() != self.owner.pw_uid:
            raise SystemExit("run this as root (or as the postgres user): it starts a PostgreSQL cluster of its own")
        result = subprocess.run(command, capture_output=True, text=True, cwd=self.folder)
        if check and result.returncode != 0:
            raise RuntimeError(f"{' '.join(command)} failed: {result.stderr.strip() or result.stdout.strip()}")
        return result

    def create(self) -> None:
        self._run(str(PG_BIN / "initdb"), "-D", str(self.data), "-U", "postgres", "-E", "UTF8", "--locale", "C.UTF-8",
                  "--auth-local", "peer", "--auth-host", "scram-sha-256")
        with open(self.data / "postgresql.conf", "a") as conf:
            conf.write(
                f"\nport = {self.port}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '{self.folder}'\n"
                "max_connections = 100\n"
            )
        self.start()
        self.sql(f"CREATE ROLE \"{self.user}\" LOGIN SUPERUSER PASSWORD '{self.password}'")
        self.sql(f"CREATE DATABASE \"{self.database}\" OWNER \"{self.user}\" ENCODING 'UTF8' TEMPLATE template0")
        for extension in EXTENSIONS:
            self.sql(f"CREATE EXTENSION IF NOT EXISTS {extension}", database=self.database)

    def sql(self, statement: str, database: str = "postgres") -> str:
        return self._run(str(PG_BIN / "psql"), "-h", str(self.folder), "-p", str(self.port), "-d", database,
                         "-v", "ON_ERROR_STOP=1", "-qAt", "-c", statement).stdout.strip()

    def _ctl(self, *arguments: str, check: bool = True) -> subprocess.CompletedProcess:
        return self._run(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-w", "-t", "60", *arguments,
                         check=check)

    def start(self) -> None:
        self._ctl("start")

    def stop(self) -> None:
        """Fast shutdown: open transactions are rolled back, connections cut; new ones are refused."""
        self._ctl("stop", "-m", "fast")

    def restart(self) -> None:
        self._ctl("restart", "-m", "fast")

    def refuse_connections(self) -> None:
        """Reject every new connection over TCP (the server stays up) and cut the open ones."""
        self._original_hba = self.hba.read_text()
        self.hba.write_text("host all all 0.0.0.0/0 reject\n" + self._original_hba)
        self._ctl("reload")
        self.sql(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '{self.user}'")

    def accept_connections(self) -> None:
        self.hba.write_text(self._original_hba)
        self._ctl("reload")

    def destroy(self) -> None:
        if self.data.exists():
            self._ctl("stop", "-m", "immediate", check=False)
        shutil.rmtree(self.folder, ignore_errors=True)
