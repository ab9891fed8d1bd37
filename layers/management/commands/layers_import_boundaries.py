"""Import municipal or district boundaries from any vector file GDAL reads (a dry run unless --commit)."""
from django.core.management.base import BaseCommand, CommandError, no_translations

from layers.boundary_files import BoundaryFileError
from layers.services import boundaries_import


class Command(BaseCommand):
    help = (
        "Import municipalities or districts from GeoJSON, Shapefile, GeoPackage or any file GDAL reads, "
        "reprojecting from the file's CRS to WGS84. Writes nothing without --commit."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="the file to import")
        parser.add_argument("--level", choices=["municipality", "district"], required=True)
        parser.add_argument("--code-field", required=True, help="field holding the code (YPES code for municipalities)")
        parser.add_argument("--name-field", required=True, help="field holding the Greek name")
        parser.add_argument("--name-en-field", help="field holding the English name")
        parser.add_argument("--municipality", dest="municipality_code", help="for districts: the municipality's code (default: the served one)")
        parser.add_argument("--provenance", help="where the boundaries come from, their licence and accuracy")
        parser.add_argument("--layer", help="layer name or index, for files with several layers")
        parser.add_argument("--source-srid", type=int, help="EPSG code to assume when the file declares no CRS")
        parser.add_argument("--fix", action="store_true", help="repair invalid geometries (ST_MakeValid) instead of refusing them")
        parser.add_argument("--commit", action="store_true", help="write to the database (default: dry run)")

    @no_translations  # messages in English, whatever the server's default language
    def handle(self, *args, **options):
        self.verbosity = options["verbosity"]
        try:
            report = boundaries_import(
                path=options["path"],
                level=options["level"],
                code_field=options["code_field"],
                name_field=options["name_field"],
                name_en_field=options["name_en_field"],
                municipality_code=options["municipality_code"],
                provenance=options["provenance"],
                layer=options["layer"],
                source_srid=options["source_srid"],
                fix=options["fix"],
                commit=options["commit"],
                progress=self._progress,
            )
        except BoundaryFileError as exc:
            raise CommandError(str(exc)) from None
        for code in report.repaired:
            self.stdout.write(f"repaired invalid geometry of {code}")
        self.stdout.write(self.style.SUCCESS(report.summary()) if report.committed else report.summary())

    def _progress(self, done: int, total: int) -> None:
        if self.verbosity >= 1 and (done == total or done % 50 == 0):
            self.stderr.write(f"  {done}/{total} features", ending="\n")
