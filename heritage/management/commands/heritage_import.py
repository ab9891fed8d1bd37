"""heritage_import FOLDER METADATA.csv --organisation SLUG [--commit]: cultural objects from a folder of files and
a CSV of their metadata with Commons-style attribution; a dry run unless --commit; running again updates."""
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from heritage.imports import COLUMNS, ImportFileError, csv_rows, objects_import
from heritage.models import Organisation


class Command(BaseCommand):
    help = (f"Import cultural objects of an organisation: a CSV with the columns {', '.join(COLUMNS)} (subjects "
            "separated by ';', licence as 'CC BY-SA 4.0', 'CC0', 'Public domain' or a rights URI) and the folder "
            "holding the files it names. A dry run unless --commit; refused rows are listed with the reason.")

    def add_arguments(self, parser):
        parser.add_argument("folder", help="the folder with the files")
        parser.add_argument("csv", help="the CSV file of metadata (UTF-8)")
        parser.add_argument("--organisation", required=True, help="the slug of the organisation providing them")
        parser.add_argument("--provenance", default="", help="where the records come from")
        parser.add_argument("--commit", action="store_true", help="write; without it nothing is written")

    def handle(self, *args, **options):
        organisation = Organisation.objects.filter(slug=options["organisation"]).first()
        if organisation is None:
            raise CommandError(f"no organisation {options['organisation']!r}; nothing was imported")
        try:
            rows = csv_rows(Path(options["csv"]))
            with tqdm(total=len(rows), unit="object", desc="importing", disable=None, file=self.stderr) as bar:
                report = objects_import(folder=Path(options["folder"]), rows=rows, organisation=organisation,
                                        provenance=options["provenance"], commit=options["commit"], progress=bar.update)
        except ImportFileError as exc:
            raise CommandError(f"{exc}; nothing was imported") from exc
        self.stdout.write(report.summary())
