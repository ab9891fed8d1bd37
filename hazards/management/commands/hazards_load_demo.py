"""Make and load the demo hazard layers (illustrative models, not official)."""
from django.core.management.base import BaseCommand, CommandError

from hazards.demo import load_demo_hazards
from hazards.services import HazardImportError


class Command(BaseCommand):
    help = "Make the demo hazard files (two GeoTIFFs, zone files) and register them. Dry run unless --commit."

    def add_arguments(self, parser):
        parser.add_argument("--commit", action="store_true", help="write to the database (default: dry run)")

    def handle(self, *args, **options):
        try:
            reports = load_demo_hazards(commit=options["commit"])
        except HazardImportError as exc:
            raise CommandError(str(exc)) from None
        for report in reports:
            self.stdout.write(report.summary())
