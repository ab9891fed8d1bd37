"""Importing cultural objects from a folder of files and a CSV of their metadata, with Commons-style attribution
(author, licence, source).

`objects_import` is the one write: every row of a run in one transaction (a dry run rolls it back; an unexpected
error leaves nothing half-imported). Each row goes through `cultural_object_save` whole, in a savepoint: a refused
row (unknown site, rights that are not Creative Commons or rightsstatements.org, a missing file, a malformed
Wikidata id ...) is counted with its reason and never stops the others. An object is known by its identifier, and
its file is copied to a path made from it, so a second run updates what changed and adds nothing twice.
"""
import csv
import mimetypes
import shutil
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.gis.geos import Point
from django.db import transaction

from layers.models import HeritageSite

from .errors import HeritageError
from .models import Organisation
from .services import MediaInput, SameAsLink, cultural_object_save, monument_for_site
from .vocabularies import licence_uri

COLUMNS = ("identifier", "file", "title_el", "title_en", "description_el", "description_en", "kind", "edm_type",
           "subjects", "period", "date", "site", "lon", "lat", "creator", "author", "licence", "source", "wikidata",
           "unesco")
REQUIRED_COLUMNS = ("identifier", "kind", "edm_type", "subjects", "licence")


@dataclass
class ImportReport:
    """What a run did: counts of created, updated, unchanged and refused rows, and why each refused one was."""

    committed: bool
    counts: Counter = field(default_factory=Counter)
    refusals: list[tuple[int, str]] = field(default_factory=list)

    def summary(self) -> str:
        done = ", ".join(f"{self.counts[k]} {k}" for k in ("created", "updated", "unchanged", "refused"))
        lines = [f"cultural objects: {done} {'stored' if self.committed else '(dry run; --commit stores them)'}"]
        lines += [f"  row {row}: {reason}" for row, reason in self.refusals]
        return "\n".join(lines)


class ImportFileError(ValueError):
    """The CSV or the folder cannot be read; nothing was imported."""


def csv_rows(path: Path) -> list[dict[str, str]]:
    """The CSV's rows (UTF-8, a header row naming the columns)."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = [name for name in REQUIRED_COLUMNS if name not in (reader.fieldnames or ())]
            if missing:
                raise ImportFileError(f"{path.name} lacks the columns {', '.join(missing)}; "
                                      f"its columns may be {', '.join(COLUMNS)}")
            return [{k: (v or "").strip() for k, v in row.items() if k} for row in reader]
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise ImportFileError(f"cannot read {path}: {exc}") from exc


def objects_import(*, folder: Path, rows: list[dict[str, str]], organisation: Organisation, provenance: str = "",
                   commit: bool = False, progress: Callable[[int], object] | None = None) -> ImportReport:
    """Save each row as a cultural object of the organisation, its file copied under MEDIA_ROOT."""
    folder = folder.resolve()
    if not folder.is_dir():
        raise ImportFileError(f"{folder} is not a folder")
    report = ImportReport(committed=commit)
    copies: list[tuple[Path, Path]] = []
    with transaction.atomic():
        for number, row in enumerate(rows, start=2):  # the header is row 1
            try:
                with transaction.atomic():
                    media, copy = _media(folder, row, organisation)
                    _, outcome = cultural_object_save(
                        identifier=row.get("identifier", ""), organisation=organisation, kind=row.get("kind", ""),
                        edm_type=row.get("edm_type", "").upper(), title_el=row.get("title_el", ""),
                        title_en=row.get("title_en", ""), description_el=row.get("description_el", ""),
                        description_en=row.get("description_en", ""), subjects=row.get("subjects", "").split(";"),
                        period=row.get("period", ""), date=row.get("date", ""), place=_place(row),
                        monument=_monument(row), creator=row.get("creator", "") or row.get("author", ""),
                        rights=licence_uri(row.get("licence", "")), attribution=_attribution(row),
                        provenance=provenance, same_as=_same_as(row), media=media)
                report.counts[outcome] += 1
                copies += copy
            except HeritageError as refusal:
                report.counts["refused"] += 1
                report.refusals.append((number, str(refusal)))
            if progress:
                progress(1)
        if commit:
            for source, target in copies:
                target.parent.mkdir(parents=True, exist_ok=True)
                if not target.exists() or target.read_bytes() != source.read_bytes():
                    shutil.copyfile(source, target)
        else:
            transaction.set_rollback(True)
    return report


def _attribution(row: dict[str, str]) -> str:
    """A Commons-style credit line: title, author, licence, source."""
    title = row.get("title_en") or row.get("title_el") or row.get("identifier", "")
    parts = [title]
    if row.get("author"):
        parts.append(f"by {row['author']}")
    parts.append(row.get("licence", ""))
    if row.get("source"):
        parts.append(f"via {row['source']}")
    return ", ".join(part for part in parts if part)


def _place(row: dict[str, str]) -> Point | None:
    if not row.get("lon") and not row.get("lat"):
        return None
    try:
        lon, lat = float(row.get("lon", "")), float(row.get("lat", ""))
    except ValueError:
        raise HeritageError("lon/lat", f"must be numbers in degrees (WGS84); got {row.get('lon')!r}, {row.get('lat')!r}") from None
    return Point(lon, lat, srid=4326)


def _monument(row: dict[str, str]):
    slug = row.get("site", "")
    if not slug:
        return None
    site = HeritageSite.objects.filter(slug=slug).first()
    if site is None:
        raise HeritageError("site", f"no heritage site {slug!r}; the heritage layer's slugs name them")
    return monument_for_site(site=site)


def _same_as(row: dict[str, str]) -> list[SameAsLink]:
    source = row.get("source", "")
    return ([SameAsLink("wikidata", row["wikidata"], source)] if row.get("wikidata") else []) + \
        ([SameAsLink("unesco", row["unesco"], source)] if row.get("unesco") else [])


def _media(folder: Path, row: dict[str, str], organisation: Organisation) -> tuple[list[MediaInput], list[tuple[Path, Path]]]:
    """The row's file checked (inside the folder, present, an image's pixel size read) and where it will be copied."""
    name = row.get("file", "")
    if not name:
        return [], []
    source = (folder / name).resolve()
    if not source.is_relative_to(folder):
        raise HeritageError("file", f"{name!r} lies outside the folder {folder}")
    if not source.is_file():
        raise HeritageError("file", f"{name!r} is not in the folder {folder}")
    mime, width, height = mimetypes.guess_type(source.name)[0] or "application/octet-stream", None, None
    if mime.startswith("image/"):
        from PIL import Image, UnidentifiedImageError

        try:
            with Image.open(source) as image:
                width, height = image.size
                mime = Image.MIME.get(image.format, mime)
        except (UnidentifiedImageError, OSError):
            raise HeritageError("file", f"{name!r} is named as an image but is not one that can be read") from None
    relative = f"heritage/{organisation.slug}/{row.get('identifier', '')}{source.suffix.lower()}"
    media = MediaInput(path=relative, mime=mime, width=width, height=height, attribution=_attribution(row))
    return [media], [(source, Path(settings.MEDIA_ROOT) / relative)]
