"""The project office's CSV imports: implementation records updated in bulk, and the municipal project register
created and updated by its reference. Each row is checked by the same rules as the pages, the API and the admin, and
stored all or nothing (a savepoint per row): a refused row is listed with its line, field and reason and changes
nothing; the others are stored together. A dry run does all of it in a transaction it rolls back, so it says exactly
what --commit would change; running the same file again changes nothing."""
import csv
from dataclasses import dataclass, field
from datetime import date

from django.contrib.gis.geos import Point
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core.errors import ServiceError
from core.params import parse_coordinate, parse_int
from layers.models import District
from layers.selectors import district_for_point

from ..errors import InvalidInput
from ..models import Implementation, ImplementationStatus, MunicipalProject, Process
from .implementation import FIELDS, MAX_EUROS, implementation_apply, milestone_record

MAX_ROWS = 20_000
IMPLEMENTATION_COLUMNS = ("id",) + FIELDS + ("milestone_date", "milestone_el", "milestone_en")
REGISTER_COLUMNS = ("reference", "title_el", "title_en", "year", "status", "completed_on", "cost", "district",
                    "place", "lon", "lat", "process", "implementation")


@dataclass
class ImportReport:
    """What an import did (or, in a dry run, would do): a line per changed or new row, a line per refused row."""
    rows: int = 0
    created: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: int = 0
    refused: list[str] = field(default_factory=list)
    committed: bool = False


def _rows(lines, columns: tuple[str, ...], key: str):
    reader = csv.DictReader(lines)
    header = [name.strip() for name in (reader.fieldnames or [])]
    if key not in header:
        raise InvalidInput(_("the file's first line names the columns, %(key)s among them; got %(header)s")
                           % {"key": key, "header": ", ".join(header)[:200] or "nothing"}, parameter="header")
    unknown = [name for name in header if name not in columns]
    if unknown:
        raise InvalidInput(_("unknown columns %(unknown)s; the columns are %(columns)s")
                           % {"unknown": ", ".join(unknown)[:200], "columns": ", ".join(columns)}, parameter="header")
    reader.fieldnames = header
    for number, row in enumerate(reader, start=2):
        if number - 1 > MAX_ROWS:
            raise InvalidInput(_("at most %(count)d rows in one file") % {"count": MAX_ROWS}, parameter="rows")
        yield number, {name: (value or "").strip() for name, value in row.items() if name is not None}


def _date(raw: str, parameter: str) -> date | None:
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise InvalidInput(_("a date, YYYY-MM-DD, got %(value)r") % {"value": raw[:40]}, parameter=parameter) from None


def _shown(value) -> str:
    if value is None or value == "":
        return "–"
    return getattr(value, "slug", None) or getattr(value, "code", None) or str(value)


def _described(changed: dict, before: dict) -> str:
    return ", ".join(f"{name} {_shown(before.get(name))} → {_shown(value)}" for name, value in changed.items())


def _run(lines, *, columns, key, commit: bool, apply_row) -> ImportReport:
    report = ImportReport()
    with transaction.atomic():
        for number, row in _rows(lines, columns, key):
            report.rows += 1
            try:
                with transaction.atomic():
                    outcome = apply_row(row)
            except (ServiceError, IntegrityError) as exc:
                reason = str(exc) if isinstance(exc, ServiceError) else str(exc).splitlines()[0][:200]
                report.refused.append(_("line %(line)d (%(key)s %(value)s): %(reason)s")
                                      % {"line": number, "key": key, "value": row.get(key) or "–", "reason": reason})
                continue
            kind, text = outcome
            if kind == "unchanged":
                report.unchanged += 1
            else:
                getattr(report, kind).append(_("line %(line)d (%(key)s %(value)s): %(what)s")
                                             % {"line": number, "key": key, "value": row[key], "what": text})
        report.committed = commit
        if not commit:
            transaction.set_rollback(True)
    return report


def _implementation_row(row: dict) -> tuple[str, str]:
    record_id = parse_int(row.get("id", ""), parameter="id", low=1, high=2**62)
    record = Implementation.objects.filter(pk=record_id).select_related("department").first()
    if record is None:
        raise InvalidInput(_("no implementation %(id)s") % {"id": record_id}, parameter="id", code="not_found")
    values = {}
    for name in FIELDS:
        raw = row.get(name, "")
        if not raw:
            continue  # an empty cell leaves the field as it is
        if name == "progress":
            values[name] = parse_int(raw, parameter=name, low=0, high=100)
        elif name == "spent":
            values[name] = parse_int(raw, parameter=name, low=0, high=MAX_EUROS)
        elif name in ("starts_on", "ends_on"):
            values[name] = _date(raw, name)
        else:
            values[name] = raw
    before = {name: getattr(record, name) for name in FIELDS}
    change = implementation_apply(implementation=record, values=values)
    said = [_described(change.changed, before)] if change.changed else []
    on = _date(row.get("milestone_date", ""), "milestone_date")
    text_el, text_en = row.get("milestone_el", ""), row.get("milestone_en", "")
    if on or text_el or text_en:
        if on is None:
            raise InvalidInput(_("a milestone has its date"), parameter="milestone_date", code="required")
        if not record.milestones.filter(on=on, text_el=text_el, text_en=text_en).exists():
            milestone_record(implementation=change.record, on=on, text_el=text_el, text_en=text_en)
            said.append(_("milestone of %(date)s added") % {"date": on})
    return ("changed", "; ".join(said)) if said else ("unchanged", "")


def implementation_import(*, lines, commit: bool = False) -> ImportReport:
    """Update implementation records from a CSV (id and any of status, progress, starts_on, ends_on, spent,
    department, cancel_reason; milestone_date with milestone_el or milestone_en adds that milestone once)."""
    return _run(lines, columns=IMPLEMENTATION_COLUMNS, key="id", commit=commit, apply_row=_implementation_row)


REGISTER_FIELDS = ("title_el", "title_en", "year", "status", "completed_on", "cost", "district", "place", "geom",
                   "process", "implementation")


def municipal_project_checked(*, project: MunicipalProject, values: dict) -> dict:
    """The fields of `values` (model values: a District, a Process, an Implementation …) that differ from the
    project's, checked: a title in Greek or English, a status of the list, done needs its completion date, the
    completion not in the future, a place inside the municipality. The register's rules, for the import and the
    admin alike."""
    new = {name: getattr(project, name) for name in REGISTER_FIELDS}
    new.update(values)
    if not (new["title_el"] or new["title_en"]):
        raise InvalidInput(_("a project has a title, in Greek or English"), parameter="title_el", code="required")
    if new["status"] not in ImplementationStatus.values:
        raise InvalidInput(_("one of %(values)s") % {"values": ", ".join(ImplementationStatus.values)},
                           parameter="status")
    if new["status"] == ImplementationStatus.DONE and new["completed_on"] is None:
        raise InvalidInput(_("a done project has its completion date"), parameter="completed_on", code="required")
    if new["completed_on"] and new["completed_on"] > date.today():
        raise InvalidInput(_("the completion date %(date)s is in the future") % {"date": new["completed_on"]},
                           parameter="completed_on")
    if new["geom"] is not None and "geom" in values:
        place = district_for_point(new["geom"])
        if place.district is None:
            raise InvalidInput(_("the place (%(lon)s, %(lat)s) lies outside the municipality")
                               % {"lon": new["geom"].x, "lat": new["geom"].y}, parameter="lon")
        if new["district"] is None:
            new["district"] = place.district
    if new["implementation"] is not None and "implementation" in values:
        other = MunicipalProject.objects.filter(implementation=new["implementation"]).exclude(pk=project.pk).first()
        if other is not None:
            raise InvalidInput(_("implementation %(id)s is already the register's %(reference)s")
                               % {"id": new["implementation"].pk, "reference": other.reference or other.title_en},
                               parameter="implementation")
    return {name: value for name, value in new.items() if value != getattr(project, name)}


def _register_values(row: dict) -> dict:
    values = {}
    for name in ("title_el", "title_en", "place"):
        if row.get(name):
            values[name] = row[name][:200]
    if row.get("year"):
        values["year"] = parse_int(row["year"], parameter="year", low=1900, high=2100)
    if row.get("status"):
        values["status"] = row["status"]
    if row.get("completed_on"):
        values["completed_on"] = _date(row["completed_on"], "completed_on")
    if row.get("cost"):
        values["cost"] = parse_int(row["cost"], parameter="cost", low=0, high=MAX_EUROS)
    if row.get("district"):
        values["district"] = District.objects.filter(code=row["district"]).first()
        if values["district"] is None:
            raise InvalidInput(_("no district %(code)r") % {"code": row["district"][:20]}, parameter="district")
    if row.get("lon") or row.get("lat"):
        lon = parse_coordinate(row.get("lon"), parameter="lon", low=-180, high=180)
        lat = parse_coordinate(row.get("lat"), parameter="lat", low=-90, high=90)
        values["geom"] = Point(lon, lat, srid=4326)
    if row.get("process"):
        values["process"] = Process.objects.filter(slug=row["process"]).first()
        if values["process"] is None:
            raise InvalidInput(_("no process %(slug)r") % {"slug": row["process"][:80]}, parameter="process")
    if row.get("implementation"):
        record_id = parse_int(row["implementation"], parameter="implementation", low=1, high=2**62)
        values["implementation"] = Implementation.objects.filter(pk=record_id).first()
        if values["implementation"] is None:
            raise InvalidInput(_("no implementation %(id)s") % {"id": record_id}, parameter="implementation")
    return values


def municipal_project_save(*, project: MunicipalProject, values: dict) -> dict:
    """Store what municipal_project_checked allows; the changed fields (empty: nothing changed)."""
    changed = municipal_project_checked(project=project, values=values)
    if changed or project.pk is None:
        for name, value in changed.items():
            setattr(project, name, value)
        project.save()
    return changed


def _register_row(row: dict) -> tuple[str, str]:
    reference = row.get("reference", "")
    if not reference or len(reference) > 40:
        raise InvalidInput(_("the register's code of the project, 1 to 40 characters"), parameter="reference",
                           code="required")
    values = _register_values(row)
    project = MunicipalProject.objects.select_for_update().filter(reference=reference).first()
    if project is None:
        if "year" not in values:
            values["year"] = (values.get("completed_on") or date.today()).year
        project = MunicipalProject(reference=reference, title_el="", title_en="", year=values["year"])
        municipal_project_save(project=project, values=values)
        return "created", project.title_en or project.title_el
    before = {name: getattr(project, name) for name in REGISTER_FIELDS}
    changed = municipal_project_save(project=project, values=values)
    return ("changed", _described(changed, before)) if changed else ("unchanged", "")


def municipal_projects_import(*, lines, commit: bool = False) -> ImportReport:
    """Create and update the municipal project register from a CSV keyed by `reference` (title_el, title_en, year,
    status, completed_on, cost, district, place, lon, lat, process, implementation)."""
    return _run(lines, columns=REGISTER_COLUMNS, key="reference", commit=commit, apply_row=_register_row)
