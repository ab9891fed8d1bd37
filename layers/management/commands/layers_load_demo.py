"""Load the demo Thessaloniki geography (fixtures/thessaloniki) through the boundary importer."""
from django.core.management.base import BaseCommand, CommandError, no_translations

from layers.boundary_files import BoundaryFileError
from layers.demo import load_demo_geography


class Command(BaseCommand):
    help = "Load the demo municipality, its six approximate districts and approximate neighbours. Dry run unless --commit."

    def add_arguments(self, parser):
        parser.add_argument("--commit", action="store_true", help="write to the database (default: dry run)")

    @no_translations  # messages in English, whatever the server's default language
    def handle(self, *args, **options):
        try:
            reports = load_demo_geography(commit=options["commit"])
        except BoundaryFileError as exc:
            raise CommandError(str(exc)) from None
        for report in reports:
            self.stdout.write(report.summary())
