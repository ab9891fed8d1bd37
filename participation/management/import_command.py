"""The shared shape of the project office's CSV import commands: read the file, run the import (a dry run unless
--commit), print what changed, what is new and what was refused and why, and the counts."""
from django.core.management.base import BaseCommand, CommandError

from core.errors import ServiceError


class ImportCommand(BaseCommand):
    noun = "rows"

    def add_arguments(self, parser):
        parser.add_argument("path", help="the CSV file (UTF-8, the first line names the columns)")
        parser.add_argument("--commit", action="store_true", help="store the changes (otherwise a dry run)")

    def run_import(self, *, lines, commit: bool):
        raise NotImplementedError

    def handle(self, *args, path, commit, **options):
        try:
            with open(path, encoding="utf-8-sig", newline="") as lines:
                report = self.run_import(lines=lines, commit=commit)
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc.strerror}") from None
        except ServiceError as exc:
            raise CommandError(str(exc)) from None
        for line in report.created:
            self.stdout.write(f"new: {line}")
        for line in report.changed:
            self.stdout.write(f"changed: {line}")
        for line in report.refused:
            self.stderr.write(f"refused: {line}")
        verb = "stored" if report.committed else "dry run, nothing stored; --commit stores them"
        self.stdout.write(f"{report.rows} {self.noun}: {len(report.created)} new, {len(report.changed)} changed, "
                          f"{report.unchanged} unchanged, {len(report.refused)} refused ({verb})")
