"""Load the demo departments, categories and routing rules (fixtures/thessaloniki/catalogue.json)."""
import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from issues.services.catalogue import CatalogueError, catalogue_load

DEMO_CATALOGUE = Path(settings.BASE_DIR) / "fixtures" / "thessaloniki" / "catalogue.json"


class Command(BaseCommand):
    help = "Load departments, Open311 categories and routing rules from a catalogue JSON file. Dry run unless --commit."

    def add_arguments(self, parser):
        parser.add_argument("--file", default=str(DEMO_CATALOGUE), help="catalogue JSON (default: the Thessaloniki demo)")
        parser.add_argument("--commit", action="store_true", help="write to the database (default: dry run)")

    def handle(self, *args, **options):
        path = Path(options["file"])
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise CommandError(f"{path}: no such file") from None
        except json.JSONDecodeError as exc:
            raise CommandError(f"{path}: not valid JSON: {exc}") from None
        try:
            report = catalogue_load(data=data, commit=options["commit"])
        except CatalogueError as exc:
            raise CommandError(f"{path}: {exc}; nothing was written") from None
        self.stdout.write(report.summary())
