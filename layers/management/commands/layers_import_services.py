"""Import the catalogue of public services (CSV) and the service points that offer them (a dry run unless --commit)."""
from django.core.management.base import BaseCommand, CommandError, no_translations
from django.db import transaction

from layers.boundary_files import BoundaryFileError
from layers.services import public_services_import, service_points_import


class Command(BaseCommand):
    help = "Import public services from a CSV and, with --points, service points from GeoJSON or CSV."

    def add_arguments(self, parser):
        parser.add_argument("services", help="CSV: identifier, name_el, name_en, competent_authority, online_url ...")
        parser.add_argument("--points", help="GeoJSON or CSV: slug, name_el, name_en, address, opening_hours, services")
        parser.add_argument("--provenance", default="")
        parser.add_argument("--commit", action="store_true", help="write to the database (default: dry run)")

    @no_translations  # messages in English, whatever the server's default language
    def handle(self, *args, **options):
        try:
            with transaction.atomic():
                reports = [public_services_import(path=options["services"], commit=True)]
                if options["points"]:
                    reports.append(service_points_import(path=options["points"], provenance=options["provenance"], commit=True))
                if not options["commit"]:
                    transaction.set_rollback(True)
        except BoundaryFileError as exc:
            raise CommandError(str(exc)) from None
        for report in reports:
            report.committed = options["commit"]
            self.stdout.write(report.summary())
