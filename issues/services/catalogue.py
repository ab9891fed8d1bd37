"""Loading the reporting catalogue: departments, categories (Open311 services) and routing rules, all or nothing."""
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from layers.models import District

from ..models import (
    Category, Department, RoutingRule,
)


DEPARTMENT_FIELDS = ("name_el", "name_en", "email", "phone")
CATEGORY_FIELDS = (
    "name_el", "name_en", "group_el", "group_en", "keywords", "description_el", "description_en", "attributes", "target_days",
    "hazard_kinds",
)


class CatalogueError(ValueError):
    """The catalogue cannot be loaded as it is; the message names the entry and what to fix."""


@dataclass
class CatalogueReport:
    committed: bool
    counts: dict[str, dict[str, int]] = field(default_factory=dict)

    def count(self, kind: str, outcome: str) -> None:
        self.counts.setdefault(kind, {"created": 0, "updated": 0, "unchanged": 0})[outcome] += 1

    def summary(self) -> str:
        verb = "" if self.committed else "would be "
        parts = [
            f"{kind}: {c['created']} {verb}created, {c['updated']} {verb}updated, {c['unchanged']} unchanged"
            for kind, c in self.counts.items()
        ]
        return "; ".join(parts) + ("" if self.committed else " (dry run, nothing written; add --commit to write)")


def catalogue_load(*, data: dict, commit: bool = False) -> CatalogueReport:
    """Create or update departments, categories and routing rules from a catalogue document, all or nothing.

    Entries are matched by department slug, category service_code and rule scope (category, district);
    entries not in the document are left as they are. A dry run checks everything and writes nothing.
    """
    for key in ("departments", "categories", "routing_rules"):
        if not isinstance(data.get(key, []), list):
            raise CatalogueError(f"'{key}' must be a list")
    report = CatalogueReport(committed=commit)
    with transaction.atomic():
        departments = {
            d.slug: d
            for d in _upsert_all(report, "departments", Department, "slug", DEPARTMENT_FIELDS, data.get("departments", []))
        }
        categories = {
            c.service_code: c
            for c in _upsert_all(report, "categories", Category, "service_code", CATEGORY_FIELDS, data.get("categories", []))
        }
        districts = {d.code: d for d in District.objects.all()}
        for number, entry in enumerate(data.get("routing_rules", []), start=1):
            _upsert_rule(report, number, entry, departments, categories, districts)
        if not commit:
            transaction.set_rollback(True)
    return report


def _upsert_all(report, kind, model, key, fields, entries):
    existing = {getattr(obj, key): obj for obj in model.objects.filter(**{f"{key}__in": [e.get(key) for e in entries]})}
    objects = []
    for number, entry in enumerate(entries, start=1):
        identity = entry.get(key)
        if not identity:
            raise CatalogueError(f"{kind} entry {number} has no '{key}'")
        unknown = set(entry) - set(fields) - {key}
        if unknown:
            raise CatalogueError(f"{kind} entry '{identity}' has unknown fields: {', '.join(sorted(unknown))}")
        obj = existing.get(identity) or model(**{key: identity})
        changed = obj.pk is None
        for name in fields:
            if name in entry and getattr(obj, name) != entry[name]:
                setattr(obj, name, entry[name])
                changed = True
        _validate(obj, f"{kind} entry '{identity}'")
        if changed:
            outcome = "created" if obj.pk is None else "updated"
            obj.save()
        else:
            outcome = "unchanged"
        report.count(kind, outcome)
        existing[identity] = obj
        objects.append(obj)
    return objects


def _upsert_rule(report, number, entry, departments, categories, districts):
    where = f"routing rule {number}"
    department = _resolve(departments, Department, "slug", entry.get("department"), f"{where}: department")
    if department is None:
        raise CatalogueError(f"{where} needs a 'department'")
    category = _resolve(categories, Category, "service_code", entry.get("category"), f"{where}: category")
    district = _resolve(districts, District, "code", entry.get("district"), f"{where}: district")
    rule = RoutingRule.objects.filter(category=category, district=district).first()
    if rule is None:
        rule = RoutingRule(category=category, district=district, department=department, note=entry.get("note", ""))
        outcome = "created"
    elif rule.department_id != department.pk or rule.note != entry.get("note", rule.note):
        rule.department = department
        rule.note = entry.get("note", rule.note)
        outcome = "updated"
    else:
        report.count("routing_rules", "unchanged")
        return
    _validate(rule, where)
    rule.save()
    report.count("routing_rules", outcome)


def _resolve(known: dict, model, key: str, value, where: str):
    if value in (None, ""):
        return None
    obj = known.get(value) or model.objects.filter(**{key: value}).first()
    if obj is None:
        raise CatalogueError(f"{where} '{value}' does not exist")
    return obj


def _validate(obj, where: str) -> None:
    try:
        obj.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        problems = "; ".join(f"{name}: {' '.join(msgs)}" for name, msgs in exc.message_dict.items())
        raise CatalogueError(f"{where}: {problems}") from None


