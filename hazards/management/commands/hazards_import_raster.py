"""Register a GeoTIFF (any CRS) as a hazard layer (a dry run unless --commit)."""
from django.core.management.base import BaseCommand, CommandError

from hazards.services import HazardImportError, raster_import

from ._layer_options import add_layer_options, layer_spec


class Command(BaseCommand):
    help = "Register a GeoTIFF as a raster hazard layer; refused without a CRS, with a missing band, or if not a raster."

    def add_arguments(self, parser):
        add_layer_options(parser)
        parser.add_argument("--band", type=int, default=1)

    def handle(self, *args, **options):
        try:
            report = raster_import(path=options["path"], spec=layer_spec(options), band=options["band"], commit=options["commit"])
        except HazardImportError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(report.summary())
