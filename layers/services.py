"""Writes to the reference layers: boundaries, gazetteer places, heritage sites, public services and service points."""
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from django.conf import settings
from django.contrib.gis.geos import Point
from django.core.exceptions import ValidationError
from django.db import transaction

from .boundary_files import BoundaryFeature, BoundaryFileError, read_boundary_file
from .models import District, Municipality

# Coordinates equal to within this many degrees (about 1 mm) count as the same boundary.
SAME_GEOMETRY_TOLERANCE = 1e-8

Level = Literal["municipality", "district"]


@dataclass
class BoundaryImportReport:
    level: Level
    source_crs: str
    layer_name: str
    committed: bool
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    repaired: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.created) + len(self.updated) + len(self.unchanged)

    def summary(self) -> str:
        verb = "" if self.committed else "would be "
        return (
            f"{self.total} {self.level} boundaries read from layer '{self.layer_name}' ({self.source_crs}): "
            f"{len(self.created)} {verb}created, {len(self.updated)} {verb}updated, "
            f"{len(self.unchanged)} unchanged, {len(self.repaired)} repaired"
            + ("" if self.committed else "; dry run, nothing written (add --commit to write)")
        )


def boundaries_import(
    *,
    path: str | Path,
    level: Level,
    code_field: str,
    name_field: str,
    name_en_field: str | None = None,
    municipality_code: str | None = None,
    provenance: str | None = None,
    layer: str | int | None = None,
    source_srid: int | None = None,
    fix: bool = False,
    commit: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> BoundaryImportReport:
    """Create or update the boundaries in a file, all or nothing; a dry run unless commit=True.

    Raises BoundaryFileError, with nothing written, when the file or any feature in it is unfit.
    """
    if level not in ("municipality", "district"):
        raise BoundaryFileError(f"level must be 'municipality' or 'district', got {level!r}")
    boundary_file = read_boundary_file(
        path,
        code_field=code_field,
        name_field=name_field,
        name_en_field=name_en_field,
        layer=layer,
        source_srid=source_srid,
        fix=fix,
    )
    parent = None
    if level == "district":
        parent_code = municipality_code or settings.HOME_MUNICIPALITY_CODE
        parent = Municipality.objects.filter(code=parent_code).first()
        if parent is None:
            raise BoundaryFileError(
                f"municipality {parent_code} does not exist yet: import the municipality before its districts"
            )
    model = District if level == "district" else Municipality
    report = BoundaryImportReport(
        level=level, source_crs=boundary_file.source_crs, layer_name=boundary_file.layer_name, committed=commit
    )
    codes = [f.code for f in boundary_file.features]
    existing = {area.code: area for area in model.objects.filter(code__in=codes)}
    total = len(boundary_file.features)
    with transaction.atomic():
        for done, feature in enumerate(boundary_file.features, start=1):
            area = existing.get(feature.code)
            target = area or model(code=feature.code)
            changed = _apply(target, feature, provenance, parent)
            if area is None:
                report.created.append(feature.code)
            elif changed:
                report.updated.append(feature.code)
            else:
                report.unchanged.append(feature.code)
            if feature.repaired:
                report.repaired.append(feature.code)
            if commit and (area is None or changed):
                target.save()
            if progress:
                progress(done, total)
    return report


def _apply(area, feature: BoundaryFeature, provenance: str | None, parent: Municipality | None) -> bool:
    """Set the feature's values on the area; tell whether anything differed."""
    changed = False
    updates = {"name_el": feature.name_el}
    if feature.name_en is not None:
        updates["name_en"] = feature.name_en
    if provenance is not None:
        updates["provenance"] = provenance
    if parent is not None:
        updates["municipality_id"] = parent.pk
    for attr, value in updates.items():
        if getattr(area, attr) != value:
            setattr(area, attr, value)
            changed = True
    if area.geom is None or not area.geom.equals_exact(feature.geom, SAME_GEOMETRY_TOLERANCE):
        area.geom = feature.geom
        changed = True
    return changed


@dataclass
class CatalogueImportReport:
    what: str
    committed: bool
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def summary(self) -> str:
        verb = "" if self.committed else "would be "
        return (f"{self.created + self.updated + self.unchanged} {self.what}: {self.created} {verb}created, "
                f"{self.updated} {verb}updated, {self.unchanged} unchanged"
                + ("" if self.committed else "; dry run, nothing written (add --commit to write)"))


PLACE_COLUMNS = ("kind", "name_el", "name_en", "alt_names", "lon", "lat")


def places_import(*, path: str | Path, provenance: str = "", commit: bool = False) -> CatalogueImportReport:
    """Create or update gazetteer places from a CSV (kind, name_el, name_en, alt_names, lon, lat), all or nothing.

    alt_names holds other spellings separated by ';'. Places are matched by kind and Greek name.
    """
    import csv

    from core.params import ParameterError, parse_coordinate
    from .gazetteer import search_key
    from .models import Place, PlaceName

    path = Path(path)
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in PLACE_COLUMNS if c not in (reader.fieldnames or [])]
            if missing:
                raise BoundaryFileError(f"{path}: missing columns {', '.join(missing)}; expected {', '.join(PLACE_COLUMNS)}")
            rows = list(reader)
    except FileNotFoundError:
        raise BoundaryFileError(f"{path}: no such file") from None
    if not rows:
        raise BoundaryFileError(f"{path}: no places; nothing to import")

    report = CatalogueImportReport(what="gazetteer places", committed=commit)
    kinds = set(Place.Kind.values)
    with transaction.atomic():
        for line, row in enumerate(rows, start=2):
            where = f"{path}, line {line}"
            if row["kind"] not in kinds:
                raise BoundaryFileError(f"{where}: kind must be one of {', '.join(sorted(kinds))}, got {row['kind']!r}")
            if not row["name_el"].strip() or not row["name_en"].strip():
                raise BoundaryFileError(f"{where}: name_el and name_en are required")
            try:
                lon = parse_coordinate(row["lon"], parameter="lon", low=-180, high=180)
                lat = parse_coordinate(row["lat"], parameter="lat", low=-90, high=90)
            except ParameterError as exc:
                raise BoundaryFileError(f"{where}: {exc}") from None
            names = [row["name_el"], row["name_en"], *[n for n in row["alt_names"].split(";") if n.strip()]]
            keys = sorted({search_key(n) for n in names} - {""})
            place = Place.objects.filter(kind=row["kind"], name_el=row["name_el"].strip()).first()
            point = Point(lon, lat, srid=4326)
            if place is None:
                place = Place(kind=row["kind"], name_el=row["name_el"].strip())
                report.created += 1
            elif (
                place.name_en == row["name_en"].strip()
                and place.geom.equals_exact(point, SAME_GEOMETRY_TOLERANCE)
                and place.provenance == provenance
                and sorted(place.names.values_list("key", flat=True)) == keys
            ):
                report.unchanged += 1
                continue
            else:
                report.updated += 1
            place.name_en = row["name_en"].strip()
            place.geom = point
            place.provenance = provenance
            place.save()
            place.names.all().delete()
            PlaceName.objects.bulk_create([PlaceName(place=place, key=k) for k in keys])
        if not commit:
            transaction.set_rollback(True)
    return report


def _upsert(report, model, key: str, identity: str, values: dict) -> object:
    obj = model.objects.filter(**{key: identity}).first()
    if obj is None:
        obj = model(**{key: identity}, **values)
        report.created += 1
    elif all(_same(getattr(obj, name), value) for name, value in values.items()):
        report.unchanged += 1
        return obj
    else:
        for name, value in values.items():
            setattr(obj, name, value)
        report.updated += 1
    try:
        obj.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        problems = "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
        raise BoundaryFileError(f"{model.__name__} '{identity}': {problems}") from None
    obj.save()
    return obj


def _same(current, new) -> bool:
    if hasattr(current, "equals_exact"):
        return current.equals_exact(new, SAME_GEOMETRY_TOLERANCE)
    return current == new


def heritage_import(*, path: str | Path, provenance: str = "", commit: bool = False) -> CatalogueImportReport:
    """Heritage sites from GeoJSON (points) or CSV (lon, lat): slug, name_el, name_en, kind, period,
    unesco_component, description_el, description_en, image_url, and an optional provenance of the row's own
    (where its position comes from), else the file's. All or nothing."""
    from .catalogue import flag, read_rows, require
    from .models import HeritageSite

    rows = read_rows(path, needs_point=True)
    require(rows, path, ["slug", "name_el", "name_en", "kind"], "slug")
    report = CatalogueImportReport(what="heritage sites", committed=commit)
    with transaction.atomic():
        for row in rows:
            _upsert(report, HeritageSite, "slug", row["slug"], {
                "name_el": row["name_el"], "name_en": row["name_en"], "kind": row["kind"],
                "period": row.get("period", ""), "unesco_component": flag(row.get("unesco_component", "")),
                "description_el": row.get("description_el", ""), "description_en": row.get("description_en", ""),
                "image_url": row.get("image_url", ""), "geom": row["point"],
                "provenance": (row.get("provenance") or provenance)[:300],
            })
        if not commit:
            transaction.set_rollback(True)
    return report


def public_services_import(*, path: str | Path, commit: bool = False) -> CatalogueImportReport:
    """Public services (CPSV-AP) from CSV: identifier, name_el, name_en, description_el/en,
    competent_authority, online_url, in_person, phone, documents_el/en. All or nothing."""
    from .catalogue import flag, read_rows, require
    from .models import PublicService

    rows = read_rows(path, needs_point=False)
    require(rows, path, ["identifier", "name_el", "name_en", "competent_authority"], "identifier")
    report = CatalogueImportReport(what="public services", committed=commit)
    with transaction.atomic():
        for row in rows:
            _upsert(report, PublicService, "identifier", row["identifier"], {
                "name_el": row["name_el"], "name_en": row["name_en"], "description_el": row.get("description_el", ""),
                "description_en": row.get("description_en", ""), "competent_authority": row["competent_authority"],
                "online_url": row.get("online_url", ""), "in_person": flag(row.get("in_person", "true")),
                "phone": row.get("phone", ""), "documents_el": row.get("documents_el", ""),
                "documents_en": row.get("documents_en", ""),
            })
        if not commit:
            transaction.set_rollback(True)
    return report


def service_points_import(*, path: str | Path, provenance: str = "", commit: bool = False) -> CatalogueImportReport:
    """Service points from GeoJSON or CSV: slug, name_el, name_en, address, opening_hours, services
    (identifiers separated by ';', each must exist). All or nothing."""
    from .catalogue import read_rows, require
    from .models import PublicService, ServicePoint

    rows = read_rows(path, needs_point=True)
    require(rows, path, ["slug", "name_el", "name_en", "address", "opening_hours"], "slug")
    known = {s.identifier: s for s in PublicService.objects.all()}
    report = CatalogueImportReport(what="service points", committed=commit)
    with transaction.atomic():
        for row in rows:
            wanted = [i.strip() for i in str(row.get("services", "")).split(";") if i.strip()]
            unknown = [i for i in wanted if i not in known]
            if unknown:
                raise BoundaryFileError(f"service point '{row['slug']}': no public service '{unknown[0]}'; import the services first")
            before = report.unchanged
            point = _upsert(report, ServicePoint, "slug", row["slug"], {
                "name_el": row["name_el"], "name_en": row["name_en"], "address": row["address"],
                "opening_hours": row["opening_hours"], "geom": row["point"], "provenance": provenance,
            })
            if sorted(point.services.values_list("identifier", flat=True)) != sorted(wanted):
                point.services.set([known[i] for i in wanted])
                if report.unchanged > before:  # only its services changed
                    report.unchanged, report.updated = report.unchanged - 1, report.updated + 1
        if not commit:
            transaction.set_rollback(True)
    return report
