"""Back up and restore the whole portal: the database (pg_dump, custom format) with the uploaded photos and the
hazard rasters, in one timestamped folder whose manifest lists every table's row count and every file's SHA-256.

    python scripts/backup.py create [--to backups]
    python scripts/backup.py restore BACKUP_FOLDER --database NEW_NAME --media-root DIR [--hazard-dir DIR]

create: the row counts, the list of files rows refer to, and pg_dump all read one snapshot of the database;
the files are copied after it, so every file a dumped row refers to is in the backup (a photo uploaded during
the backup may be there too, unreferenced). The folder is written as NAME.partial and renamed when complete.

restore: checks every file of the backup against the manifest before touching anything; refuses a database
that exists or a folder that is not empty; creates the database, restores it in one transaction, copies the
files, then checks the row counts and files against the manifest. On any failure the new database and the
copied files are removed again, so nothing is left half-restored.

The database comes from DATABASE_URL (the server and role to restore into, too), the folders from MEDIA_ROOT
and HAZARD_DATA_DIR, through the project's settings.
"""
import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
FORMAT_VERSION = 1
DUMP = "database.dump"
FOLDERS = {"media": "MEDIA_ROOT", "hazard-data": "HAZARD_DATA_DIR"}  # folder in the backup: the setting it restores


class BackupError(Exception):
    """What went wrong and what to do about it; nothing was changed."""


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    create = commands.add_parser("create", help="write a new backup folder")
    create.add_argument("--to", default=str(ROOT / "backups"), help="where the backup folder goes (default: ./backups)")
    restore = commands.add_parser("restore", help="restore a backup into a new database and folders")
    restore.add_argument("backup", help="the backup folder")
    restore.add_argument("--database", required=True, help="name of the new database (on DATABASE_URL's server)")
    restore.add_argument("--media-root", required=True, help="new, empty folder for the photos")
    restore.add_argument("--hazard-dir", help="new, empty folder for the hazard rasters (default: beside --media-root)")
    options = parser.parse_args(argv)
    settings = _settings()
    try:
        if options.command == "create":
            folder = backup_create(settings, Path(options.to))
            print(f"backup written: {folder}")
        else:
            hazard_dir = Path(options.hazard_dir or Path(options.media_root).parent / "hazard-data")
            backup_restore(settings, Path(options.backup), options.database,
                           {"media": Path(options.media_root), "hazard-data": hazard_dir})
    except BackupError as exc:
        print(f"{options.command} failed: {exc}", file=sys.stderr)
        return 1
    return 0


def _settings():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gis_portal.settings.dev")
    import django

    django.setup()
    from django.conf import settings

    return settings


# ---------------------------------------------------------------------------------------------
# create


def backup_create(settings, destination: Path) -> Path:
    import psycopg

    database = settings.DATABASES["default"]
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    folder = destination / f"{database['NAME']}-{stamp}"
    partial = folder.with_name(folder.name + ".partial")
    destination.mkdir(parents=True, exist_ok=True)
    partial.mkdir(mode=0o700)  # reporters' names and e-mail addresses are in it: for the operators only
    try:
        try:
            connection = psycopg.connect(**_conninfo(database), connect_timeout=10)
        except psycopg.OperationalError as exc:
            raise BackupError(f"cannot connect to database {database['NAME']}: {_first_line(exc)}") from None
        with connection:
            connection.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
            connection.read_only = True
            snapshot = connection.execute("SELECT pg_export_snapshot()").fetchone()[0]
            counts = table_counts(connection)
            referenced = referenced_files(connection)
            server = connection.execute("SHOW server_version").fetchone()[0]
            _run(["pg_dump", "--format=custom", f"--snapshot={snapshot}", "--file", str(partial / DUMP),
                  *_pg_arguments(database)], database, "pg_dump")
        files = {DUMP: _digest(partial / DUMP)}
        for name, setting in FOLDERS.items():
            files.update(_copy_tree(Path(getattr(settings, setting)), partial / name, name))
        missing = sorted(f for f in referenced if f not in files)
        manifest = {
            "format": FORMAT_VERSION, "created_at": stamp, "database": database["NAME"], "postgresql": server,
            "tables": counts, "files": files, "referenced_files": referenced, "missing_files": missing,
        }
        (partial / "manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True))
        if missing:
            print(f"warning: {len(missing)} files that rows refer to were already missing: {', '.join(missing[:5])}",
                  file=sys.stderr)
        partial.rename(folder)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    print(f"{sum(counts.values())} rows in {len(counts)} tables, {len(files) - 1} files "
          f"({sum(f['bytes'] for f in files.values()) / 1e6:.1f} MB with the dump)")
    return folder


def table_counts(connection) -> dict[str, int]:
    """Rows in every table of the public schema that is not part of an extension (as spatial_ref_sys is)."""
    from psycopg import sql

    tables = [row[0] for row in connection.execute(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') "
        "AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype = 'e') ORDER BY 1")]
    return {table: connection.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))).fetchone()[0]
            for table in tables}


def file_columns() -> list[tuple[str, str, str]]:
    """(backup folder, table, column) of every column that names a file: the models' file fields, and the
    hazard layers' raster paths (relative to HAZARD_DATA_DIR)."""
    from django.apps import apps
    from django.db.models import FileField

    columns = [("media", model._meta.db_table, field.column)
               for model in apps.get_models() for field in model._meta.concrete_fields if isinstance(field, FileField)]
    return sorted(columns) + [("hazard-data", "hazards_hazardlayer", "raster_path")]


def referenced_files(connection) -> list[str]:
    from psycopg import sql

    found = set()
    for folder, table, column in file_columns():
        query = sql.SQL("SELECT {c} FROM {t} WHERE {c} <> ''").format(c=sql.Identifier(column), t=sql.Identifier(table))
        found.update(f"{folder}/{row[0]}" for row in connection.execute(query))
    return sorted(found)


def _copy_tree(source: Path, target: Path, prefix: str) -> dict[str, dict]:
    """Copy every file under source (kept as they are, times included); their digests by backup path."""
    files = {}
    target.mkdir()
    if not source.is_dir():
        return files
    for path in sorted(source.rglob("*")):
        if path.is_file():
            relative = path.relative_to(source)
            (target / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target / relative)
            files[f"{prefix}/{relative.as_posix()}"] = _digest(target / relative)
    return files


# ---------------------------------------------------------------------------------------------
# restore


def backup_restore(settings, backup: Path, name: str, folders: dict[str, Path]) -> None:
    import psycopg

    manifest = _checked_manifest(backup)
    for folder in folders.values():
        if folder.exists() and any(folder.iterdir()):
            raise BackupError(f"{folder} is not empty; restore into a new folder")
    database = {**settings.DATABASES["default"], "NAME": name}
    admin = {**_conninfo(settings.DATABASES["default"]), "dbname": "postgres"}
    try:
        with psycopg.connect(**admin, autocommit=True, connect_timeout=10) as connection:
            if connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                raise BackupError(f"database {name} already exists; restore into a new name (nothing was changed)")
            connection.execute(psycopg.sql.SQL(
                "CREATE DATABASE {} ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8' TEMPLATE template0"
            ).format(psycopg.sql.Identifier(name)))
    except psycopg.OperationalError as exc:
        raise BackupError(f"cannot reach the database server: {_first_line(exc)}") from None
    created = [folder for folder in folders.values() if not folder.exists()]
    try:
        _run(["pg_restore", "--no-owner", "--exit-on-error", "--single-transaction", "--dbname", name,
              *_pg_arguments(database, with_name=False), str(backup / DUMP)], database, "pg_restore")
        for folder_name, target in folders.items():
            target.mkdir(parents=True, exist_ok=True)
            for path, entry in manifest["files"].items():
                if path.startswith(folder_name + "/"):
                    destination = target / path[len(folder_name) + 1:]
                    destination.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(backup / path, destination)
        _check_restored(manifest, database, folders)
    except BaseException:
        with psycopg.connect(**admin, autocommit=True) as connection:
            connection.execute(psycopg.sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(psycopg.sql.Identifier(name)))
        for folder in folders.values():
            if folder in created:
                shutil.rmtree(folder, ignore_errors=True)
            elif folder.exists():
                for child in folder.iterdir():
                    shutil.rmtree(child) if child.is_dir() else child.unlink()
        raise
    url = "postgis://{USER}:…@{HOST}:{PORT}/{NAME}".format(**database)
    print(f"restored {sum(manifest['tables'].values())} rows in {len(manifest['tables'])} tables and "
          f"{len(manifest['files']) - 1} files; serve it with:\n  DATABASE_URL={url} MEDIA_ROOT={folders['media']} "
          f"HAZARD_DATA_DIR={folders['hazard-data']}")


def _checked_manifest(backup: Path) -> dict:
    manifest_path = backup / "manifest.json"
    if not manifest_path.is_file():
        raise BackupError(f"{backup} is not a complete backup: it has no manifest.json")
    manifest = json.loads(manifest_path.read_text())
    if manifest.get("format") != FORMAT_VERSION:
        raise BackupError(f"{backup}: backup format {manifest.get('format')!r}, this script reads {FORMAT_VERSION}")
    for path, entry in manifest["files"].items():
        if not (backup / path).is_file():
            raise BackupError(f"{backup}: {path} is missing from the backup (nothing was changed)")
        if _digest(backup / path) != entry:
            raise BackupError(f"{backup}: {path} does not match its checksum in the manifest (nothing was changed)")
    return manifest


def _check_restored(manifest: dict, database: dict, folders: dict[str, Path]) -> None:
    import psycopg

    with psycopg.connect(**_conninfo(database)) as connection:
        counts = table_counts(connection)
        referenced = referenced_files(connection)
    wrong = {t: (n, counts.get(t)) for t, n in manifest["tables"].items() if counts.get(t) != n}
    if wrong:
        raise BackupError(f"restored row counts differ from the backup's (table: backup, restored): {wrong}")
    for path in referenced:
        folder, relative = path.split("/", 1)
        if path not in manifest["missing_files"] and not (folders[folder] / relative).is_file():
            raise BackupError(f"restored rows refer to {path}, which was not restored")


# ---------------------------------------------------------------------------------------------


def _conninfo(database: dict) -> dict:
    return {"host": database["HOST"] or "localhost", "port": database["PORT"] or 5432, "user": database["USER"],
            "password": database["PASSWORD"], "dbname": database["NAME"]}


def _pg_arguments(database: dict, with_name: bool = True) -> list[str]:
    info = _conninfo(database)
    arguments = ["--host", str(info["host"]), "--port", str(info["port"]), "--username", info["user"], "--no-password"]
    return arguments + ([info["dbname"]] if with_name else [])


def _run(command: list[str], database: dict, what: str) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(f"{command[0]} is not installed: apt-get install postgresql-client-15 (scripts/install_system.sh does)")
    result = subprocess.run(command, env={**os.environ, "PGPASSWORD": database["PASSWORD"] or ""}, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{what} failed: {result.stderr.strip()[-2000:]}")


def _digest(path: Path) -> dict:
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            digest.update(chunk)
    return {"sha256": digest.hexdigest(), "bytes": path.stat().st_size}


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:300] if text else exc.__class__.__name__


if __name__ == "__main__":
    sys.exit(main())
