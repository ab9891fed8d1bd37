"""Import heritage sites from GeoJSON or CSV (a dry run unless --commit)."""
from django.core.management.base import BaseCommand, CommandError, no_translations

from layers.boundary_files import BoundaryFileError
from layers.services import heritage_import


class Command(BaseCommand):
    help = ("Import heritage sites: slug, name_el, name_en, kind, period, unesco_component, descriptions, image_url, "
            "and a point (GeoJSON geometry, or lon and lat columns in a CSV).")

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--provenance", default="")
        parser.add_argument("--commit", action="store_true", help="write to the database (default: dry run)")

    @no_translations  # messages in English, whatever the server's default language
    def handle(self, *args, **options):
        try:
            report = heritage_import(path=options["path"], provenance=options["provenance"], commit=options["commit"])
        except BoundaryFileError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(report.summary())
