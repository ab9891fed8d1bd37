"""Re-routing every report after a boundary or rule change, in one set-based statement."""
import json
from dataclasses import dataclass, field

from django.db import connection, transaction

from core.sql_files import fetch_one


@dataclass
class RerouteReport:
    examined: int
    moved: int
    # (from department slug, to department slug, reports), most reports first; a district-only move has from == to.
    department_moves: list[tuple[str, str, int]] = field(default_factory=list)
    committed: bool = True

    def summary(self) -> str:
        verb = "moved" if self.committed else "would move"
        lines = [f"{self.examined} reports examined, {self.moved} {verb} to another district or department"]
        lines += [f"  {source} -> {target}: {count}" for source, target, count in self.department_moves]
        if not self.committed:
            lines.append("dry run: nothing was written; run with --commit to re-route")
        return "\n".join(lines)


def issues_reroute(*, actor: str, include_closed: bool = False, commit: bool = True) -> RerouteReport:
    """Re-route reports after a boundary or rule change, in one set-based statement (issues/sql/reroute.sql).
    With commit=False nothing is written: the report says what would move."""
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL work_mem = '256MB'")  # the sorts and hashes of a city's reports, in memory
        row = fetch_one("issues", "reroute", {"include_closed": include_closed, "actor": actor, "commit": commit})
    return RerouteReport(examined=row["examined"], moved=row["moved"], committed=commit,
                         department_moves=[tuple(move) for move in json.loads(row["department_moves"])])
