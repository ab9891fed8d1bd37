"""Register hazard zones from any vector file GDAL reads (a dry run unless --commit)."""
from django.core.management.base import BaseCommand, CommandError

from hazards.services import HazardImportError, zones_import

from ._layer_options import add_layer_options, layer_spec


class Command(BaseCommand):
    help = "Register polygons with a value field as a vector hazard layer; the level comes from the thresholds."

    def add_arguments(self, parser):
        add_layer_options(parser)
        parser.add_argument("--value-field", default="value")
        parser.add_argument("--fix", action="store_true", help="repair invalid geometries instead of refusing them")

    def handle(self, *args, **options):
        try:
            report = zones_import(path=options["path"], spec=layer_spec(options), value_field=options["value_field"],
                                  fix=options["fix"], commit=options["commit"])
        except HazardImportError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(report.summary())
