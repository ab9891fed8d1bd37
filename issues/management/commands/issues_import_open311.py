"""Import the reports of another GeoReport v2 (Open311) server, e.g. the city's previous system."""
from datetime import datetime, timedelta
from datetime import timezone as dt_timezone

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from tqdm import tqdm

from issues.import_sources import WINDOW, Open311Reader, SourceError, parse_moment
from issues.imports import ImportMapping, MappingFileError, issues_import


class Command(BaseCommand):
    help = ("Read every request of a GeoReport v2 server (date windows of at most 90 days, page by page), map its "
            "service codes and statuses with a mapping file, and import them keeping their ids and dates. A dry run "
            "unless --commit; running again updates what changed and adds nothing twice.")

    def add_arguments(self, parser):
        parser.add_argument("url", help="the server's GeoReport v2 base, e.g. https://old.example.org/open311/v2")
        parser.add_argument("--mapping", required=True, help="TOML or JSON file: [services] their code = ours, [statuses] theirs = ours")
        parser.add_argument("--since", default="2010-01-01", help="first date to read (ISO 8601; default 2010-01-01)")
        parser.add_argument("--until", default="", help="last moment to read (default: now)")
        parser.add_argument("--window-days", type=int, default=WINDOW.days, help="days per request (default 90)")
        parser.add_argument("--page-size", type=int, default=1000)
        parser.add_argument("--commit", action="store_true", help="write; without it nothing is written")

    def handle(self, *args, **options):
        try:
            mapping = ImportMapping.from_file(options["mapping"])
            since = parse_moment(options["since"])
            until = parse_moment(options["until"]) if options["until"] else timezone.now()
        except (MappingFileError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        if not 1 <= options["window_days"] <= 90:
            raise CommandError("--window-days: 1 to 90 (GeoReport v2 servers may refuse longer ranges)")
        total_windows = max(1, -(-(until - since).days // options["window_days"]))
        with tqdm(total=total_windows, unit="window", desc="reading", disable=None, file=self.stderr) as windows, \
                tqdm(unit="report", desc="importing", disable=None, file=self.stderr) as records:
            reader = Open311Reader(options["url"], since=since, until=until, window=timedelta(days=options["window_days"]),
                                   page_size=options["page_size"], on_window=lambda *_: windows.update(1))
            try:
                report = issues_import(source=options["url"].rstrip("/"), records=reader, mapping=mapping,
                                       commit=options["commit"], progress=records.update)
            except SourceError as exc:
                raise CommandError(f"{exc}; nothing was imported") from exc
        self.stdout.write(report.summary())
