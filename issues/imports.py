"""Importing the city's history from its previous system: reports read from another GeoReport v2 server or from
a CSV export, mapped to this server's categories and statuses by a mapping file, keeping their id and dates.

`issues_import` is the one write: all the records of a run in one transaction (a dry run rolls it back; any
error leaves nothing half-imported). A report is known by (source, its id there): a second run of the same
source updates what changed and adds nothing twice. Records that cannot be imported are refused with a reason
(unknown service code, unmapped status, outside the municipality, bad coordinates or dates) and counted in the
summary; they never stop the others.
"""
import json
import tomllib
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from django.contrib.gis.geos import Point
from django.db import transaction
from django.db.models import Count

from .models import Category, Issue, IssueUpdate, Support
from .routing import OutsideMunicipality, route_report

IMPORT_ACTOR = "import"
SOLVED = (Issue.Status.RESOLVED, Issue.Status.CLOSED)


class MappingFileError(ValueError):
    """The mapping file cannot be read or names what this server does not have."""


@dataclass
class ImportRecord:
    """One report as the previous system knew it."""

    import_id: str
    service_code: str
    lat: float | None
    lon: float | None
    status: str
    created_at: datetime | None
    updated_at: datetime | None = None
    resolved_at: datetime | None = None
    description: str = ""
    address: str = ""
    supports: int = 0
    comments: list[str] = field(default_factory=list)


@dataclass
class ImportMapping:
    """The previous system's service codes and statuses → this server's (services: code → service_code,
    statuses: status → one of Issue.Status). A code mapped to itself may be left out when `keep_same_codes`."""

    services: dict[str, str]
    statuses: dict[str, str]
    keep_same_codes: bool = True

    @classmethod
    def from_file(cls, path: str | Path) -> "ImportMapping":
        """A TOML or JSON file with tables/objects `services` and `statuses` (and `keep_same_codes`)."""
        path = Path(path)
        try:
            text = path.read_text("utf-8")
            data = json.loads(text) if path.suffix.lower() == ".json" else tomllib.loads(text)
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            raise MappingFileError(f"{path}: cannot read the mapping file: {exc}") from exc
        services, statuses = data.get("services", {}), data.get("statuses", {})
        if not isinstance(services, dict) or not isinstance(statuses, dict) or not statuses:
            raise MappingFileError(f"{path}: needs a table 'statuses' (their status = our status) and may have 'services'")
        mapping = cls(services={str(k): str(v) for k, v in services.items()},
                      statuses={str(k).lower(): str(v) for k, v in statuses.items()},
                      keep_same_codes=bool(data.get("keep_same_codes", True)))
        mapping.check()
        return mapping

    def check(self) -> None:
        bad_status = sorted({v for v in self.statuses.values() if v not in Issue.Status.values})
        if bad_status:
            raise MappingFileError(f"statuses: {bad_status[0]!r} is not a status here (use one of {', '.join(Issue.Status.values)})")
        known = set(Category.objects.values_list("service_code", flat=True))
        missing = sorted({v for v in self.services.values() if v not in known})
        if missing:
            raise MappingFileError(f"services: no service {missing[0]!r} here; add it to the catalogue or map to another")

    def service_code(self, theirs: str) -> str | None:
        if theirs in self.services:
            return self.services[theirs]
        return theirs if self.keep_same_codes else None

    def status(self, theirs: str) -> str | None:
        return self.statuses.get((theirs or "").lower())


@dataclass
class ImportReport:
    source: str
    committed: bool
    read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    refused: list[tuple[str, str]] = field(default_factory=list)  # (their id, why)
    unknown_codes: Counter = field(default_factory=Counter)
    unmapped_statuses: Counter = field(default_factory=Counter)
    outside: Counter = field(default_factory=Counter)  # the municipality each refused point lies in

    def summary(self) -> str:
        mode = "imported" if self.committed else "dry run, nothing written"
        lines = [f"{self.source}: {self.read} read: {self.created} created, {self.updated} updated, "
                 f"{self.unchanged} unchanged, {len(self.refused)} refused ({mode})"]
        if self.unknown_codes:
            lines.append("unknown service codes (add them to the mapping's [services]): "
                         + ", ".join(f"{code} ×{n}" for code, n in self.unknown_codes.most_common()))
        if self.unmapped_statuses:
            lines.append("unmapped statuses (add them to the mapping's [statuses]): "
                         + ", ".join(f"{status} ×{n}" for status, n in self.unmapped_statuses.most_common()))
        if self.outside:
            lines.append("outside the municipality: " + ", ".join(f"{where} ×{n}" for where, n in self.outside.most_common()))
        for their_id, why in self.refused[:20]:
            lines.append(f"  refused {their_id}: {why}")
        if len(self.refused) > 20:
            lines.append(f"  ... and {len(self.refused) - 20} more refused")
        return "\n".join(lines)


def issues_import(*, source: str, records: Iterable[ImportRecord], mapping: ImportMapping, commit: bool = False,
                  progress: Callable[[int], None] | None = None) -> ImportReport:
    """Import records of `source` (a GeoReport v2 base URL, a CSV file's name). All or nothing; a dry run
    (commit=False) reports what would happen and writes nothing. `progress(1)` is called per record."""
    source = source[:200]
    report = ImportReport(source=source, committed=commit)
    with transaction.atomic():
        categories = {c.service_code: c for c in Category.objects.all()}
        known = _known(source)
        seen: set[str] = set()
        for record in records:
            report.read += 1
            if progress:
                progress(1)
            why = _import_one(source, record, mapping, categories, report, seen, known)
            if why:
                report.refused.append((record.import_id or f"record {report.read}", why))
        if not commit:
            transaction.set_rollback(True)
    return report


def _known(source: str) -> dict[str, Issue]:
    """The source's reports already here, by their id there, each with its imported supports and comments (read in
    three queries, so that a second run over an unchanged history is quick)."""
    issues = {i.import_id: i for i in Issue.objects.filter(import_source=source).select_related("category")}
    by_pk = {i.pk: i for i in issues.values()}
    for issue in issues.values():
        issue.imported_supports, issue.imported_comments = 0, []
    for issue_id, count in (Support.objects.filter(issue__import_source=source, device_id__startswith="import:")
                            .values_list("issue_id").annotate(n=Count("id"))):
        by_pk[issue_id].imported_supports = count
    for issue_id, text in (IssueUpdate.objects.filter(issue__import_source=source, kind=IssueUpdate.Kind.COMMENT,
                                                      actor=IMPORT_ACTOR).order_by("pk").values_list("issue_id", "description")):
        by_pk[issue_id].imported_comments.append(text)
    return issues


def _import_one(source, record, mapping, categories, report, seen, known) -> str | None:
    """Create or update one record; the reason it is refused, or None."""
    their_id = (record.import_id or "").strip()[:100]
    if not their_id:
        return "no id"
    if their_id in seen:
        return "the same id twice in this source"
    seen.add(their_id)
    code = mapping.service_code(record.service_code)
    category = categories.get(code) if code else None
    if category is None:
        report.unknown_codes[record.service_code or "(empty)"] += 1
        return f"unknown service code {record.service_code!r}"
    status = mapping.status(record.status)
    if status is None:
        report.unmapped_statuses[record.status or "(empty)"] += 1
        return f"unmapped status {record.status!r}"
    if record.lat is None or record.lon is None or not (-90 <= record.lat <= 90 and -180 <= record.lon <= 180):
        return "no valid coordinates"
    if record.created_at is None:
        return "no creation date"
    point = Point(record.lon, record.lat, srid=4326)
    resolved_at = (record.resolved_at or record.updated_at or record.created_at) if status in SOLVED else None
    updated_at = max(filter(None, [record.updated_at, resolved_at, record.created_at]))
    wanted = {
        "category": category, "description": record.description[:4000], "location": point, "address": record.address[:300],
        "status": status, "resolved_at": resolved_at,
    }
    comments = [c.strip()[:4000] for c in record.comments if c and c.strip()]
    issue = known.get(their_id)
    if issue is not None and not any(_differs(getattr(issue, name), value) for name, value in wanted.items()) \
            and issue.created_at == record.created_at and issue.imported_supports == max(0, int(record.supports or 0)) \
            and issue.imported_comments == comments:
        report.unchanged += 1
        return None
    try:
        decision = route_report(category=category, point=point)
    except OutsideMunicipality as exc:
        where = exc.neighbour.name_en if exc.neighbour else "no known municipality"
        report.outside[where] += 1
        return f"outside the municipality ({where})"
    if issue is None:
        issue = Issue.objects.create(
            **wanted, district=decision.district, department=decision.department,
            routing_note=f"{decision.explanation}; imported from {source} (id {their_id})"[:400],
            import_source=source, import_id=their_id,
        )
        Issue.objects.filter(pk=issue.pk).update(created_at=record.created_at, updated_at=updated_at)
        note = IssueUpdate.objects.create(issue=issue, kind=IssueUpdate.Kind.NOTE, public=False, actor=IMPORT_ACTOR,
                                          to_status=status, description=f"Imported from {source} (id {their_id}).")
        IssueUpdate.objects.filter(pk=note.pk).update(created_at=record.created_at)
        _sync_supports(issue, record.supports, record.created_at)
        _sync_comments(issue, record.comments, updated_at)
        report.created += 1
        return None
    changed = [name for name, value in wanted.items() if _differs(getattr(issue, name), value)]
    moved = "category" in changed or "location" in changed
    if issue.created_at != record.created_at:
        changed.append("created_at")
    changed += _sync_supports(issue, record.supports, record.created_at)
    changed += _sync_comments(issue, record.comments, updated_at)
    if not changed:
        report.unchanged += 1
        return None
    for name, value in wanted.items():
        setattr(issue, name, value)
    if moved:  # routed again by this server's rules
        issue.district, issue.department = decision.district, decision.department
    issue.version += 1
    issue.save()
    Issue.objects.filter(pk=issue.pk).update(created_at=record.created_at, updated_at=updated_at)
    IssueUpdate.objects.create(issue=issue, kind=IssueUpdate.Kind.NOTE, public=False, actor=IMPORT_ACTOR, to_status=status,
                               description=f"Updated from {source} (id {their_id}): {', '.join(sorted(set(changed)))}.")
    report.updated += 1
    return None


def _differs(current, wanted) -> bool:
    if isinstance(current, Point) and isinstance(wanted, Point):
        return not current.equals_exact(wanted, tolerance=1e-7)
    if hasattr(current, "pk") and hasattr(wanted, "pk"):
        return current.pk != wanted.pk
    return current != wanted


def _sync_supports(issue: Issue, count: int, when) -> list[str]:
    """The previous system's supports, as anonymous supports of the import (their supporters are not known)."""
    count = max(0, int(count or 0))
    imported = Support.objects.filter(issue=issue, device_id__startswith="import:")
    have = imported.count()
    if have == count:
        return []
    if have > count:
        Support.objects.filter(pk__in=list(imported.order_by("-device_id").values_list("pk", flat=True)[: have - count])).delete()
    else:
        made = Support.objects.bulk_create([Support(issue=issue, device_id=f"import:{n:06d}") for n in range(have, count)])
        Support.objects.filter(pk__in=[s.pk for s in made]).update(created_at=when)
    return ["supports"]


def _sync_comments(issue: Issue, comments: list[str], when) -> list[str]:
    """The previous system's public comments, in order; replaced when they changed."""
    texts = [c.strip()[:4000] for c in comments if c and c.strip()]
    imported = IssueUpdate.objects.filter(issue=issue, kind=IssueUpdate.Kind.COMMENT, actor=IMPORT_ACTOR).order_by("pk")
    if list(imported.values_list("description", flat=True)) == texts:
        return []
    imported.delete()
    made = IssueUpdate.objects.bulk_create([
        IssueUpdate(issue=issue, kind=IssueUpdate.Kind.COMMENT, public=True, actor=IMPORT_ACTOR, description=text)
        for text in texts
    ])
    IssueUpdate.objects.filter(pk__in=[u.pk for u in made]).update(created_at=when)
    return ["comments"]
