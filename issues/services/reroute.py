"""Re-routing every report after a boundary or rule change, in one set-based statement."""
from dataclasses import dataclass

from django.db import connection, transaction

from core.sql_files import fetch_one



@dataclass
class RerouteReport:
    examined: int
    moved: int


def issues_reroute(*, actor: str, include_closed: bool = False) -> RerouteReport:
    """Re-route reports after a boundary or rule change, in one set-based statement (issues/sql/reroute.sql)."""
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL work_mem = '256MB'")  # the sorts and hashes of a city's reports, in memory
        row = fetch_one("issues", "reroute", {"include_closed": include_closed, "actor": actor})
    return RerouteReport(examined=row["examined"], moved=row["moved"])


