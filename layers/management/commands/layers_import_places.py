"""Import gazetteer places (streets, squares, landmarks, heritage sites) from CSV (a dry run unless --commit)."""
from django.core.management.base import BaseCommand, CommandError, no_translations

from layers.boundary_files import BoundaryFileError
from layers.services import places_import


class Command(BaseCommand):
    help = "Import gazetteer places from a CSV with columns kind, name_el, name_en, alt_names (';'-separated), lon, lat."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--provenance", default="", help="where the positions come from and how exact they are")
        parser.add_argument("--commit", action="store_true", help="write to the database (default: dry run)")

    @no_translations  # messages in English, whatever the server's default language
    def handle(self, *args, **options):
        try:
            report = places_import(path=options["path"], provenance=options["provenance"], commit=options["commit"])
        except BoundaryFileError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(report.summary())
