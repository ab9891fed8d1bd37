"""Import reports from a CSV export of the city's previous system (such as ImproveMyCity can produce)."""
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from issues.import_sources import SourceError, csv_records
from issues.imports import ImportMapping, MappingFileError, issues_import


class Command(BaseCommand):
    help = ("Import reports from a CSV file with columns id, category, lat, lon, status, created, resolved, supports, "
            "comments (and optionally description, address, updated), mapping categories and statuses with a mapping "
            "file and keeping ids and dates. A dry run unless --commit; running again updates what changed.")

    def add_arguments(self, parser):
        parser.add_argument("csv", help="the CSV file (UTF-8)")
        parser.add_argument("--mapping", required=True, help="TOML or JSON file: [services] their category = our code, [statuses] theirs = ours")
        parser.add_argument("--source", default="", help="the name the reports are known by (default: csv:<file name>)")
        parser.add_argument("--comment-separator", default="|", help="between comments in the comments column (default |)")
        parser.add_argument("--commit", action="store_true", help="write; without it nothing is written")

    def handle(self, *args, **options):
        path = Path(options["csv"])
        try:
            mapping = ImportMapping.from_file(options["mapping"])
            records = csv_records(path, comment_separator=options["comment_separator"])
        except (MappingFileError, SourceError) as exc:
            raise CommandError(f"{exc}; nothing was imported") from exc
        with tqdm(total=len(records), unit="report", desc="importing", disable=None, file=self.stderr) as bar:
            report = issues_import(source=options["source"] or f"csv:{path.name}", records=records, mapping=mapping,
                                   commit=options["commit"], progress=bar.update)
        self.stdout.write(report.summary())
