"""Write the open-data files (GeoPackage, CSV, zipped Shapefile) of the layers' current data here and now
(the same writer as the background job): after an import, so the first request finds the file ready."""
import time

from django.core.management.base import BaseCommand, CommandError

from layers import registry
from layers.downloads import FORMATS, WRITERS, download_write


class Command(BaseCommand):
    help = "Write each layer's download files for its current data version (those already written are kept)."

    def add_arguments(self, parser):
        parser.add_argument("--collection", action="append", default=[], help="a layer id (repeatable; default all)")
        parser.add_argument("--format", action="append", default=[], choices=sorted(WRITERS),
                            help="a file format (repeatable; default all)")

    def handle(self, *args, **options):
        known = [c.id for c in registry.all_collections()]
        unknown = [name for name in options["collection"] if name not in known]
        if unknown:
            raise CommandError(f"no collection '{unknown[0]}'; one of {', '.join(known)}")
        for collection_id in options["collection"] or known:
            for name in options["format"] or sorted(WRITERS):
                start = time.perf_counter()
                path, _, written = download_write(collection=registry.get(collection_id), download=FORMATS[name])
                state = "written" if written else "already written"
                self.stdout.write(f"{collection_id} {name}: {path} ({path.stat().st_size:,} bytes, {state}, "
                                  f"{time.perf_counter() - start:.1f} s)")
