"""Loading the SQL kept in each app's sql/ folder and running it with named parameters (%(name)s)."""
from functools import lru_cache
from pathlib import Path

from django.apps import apps
from django.db import DEFAULT_DB_ALIAS, connections


@lru_cache(maxsize=None)
def sql_text(app_label: str, name: str) -> str:
    path = Path(apps.get_app_config(app_label).path) / "sql" / f"{name}.sql"
    return path.read_text(encoding="utf-8")


def fetch_all(app_label: str, name: str, params: dict, *, using: str = DEFAULT_DB_ALIAS) -> list[dict]:
    """The rows as dicts, on the primary or on the database `using` names (core/replica.py `reading_alias()`)."""
    with connections[using].cursor() as cursor:
        cursor.execute(sql_text(app_label, name), params)
        columns = [c.name for c in cursor.description]
        return [dict(zip(columns, row)) for row in cursor.fetchall()]


def fetch_one(app_label: str, name: str, params: dict, *, using: str = DEFAULT_DB_ALIAS) -> dict | None:
    rows = fetch_all(app_label, name, params, using=using)
    return rows[0] if rows else None
