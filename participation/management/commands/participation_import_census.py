"""participation_import_census FILE [--commit] [--replace]: the residents' census (CSV: identifier,
date_of_birth,district) stored as keyed hashes with the district; a dry run unless --commit."""
from django.core.management.base import BaseCommand, CommandError

from participation.errors import InvalidInput
from participation.services.verification import census_import


class Command(BaseCommand):
    help = "Import the census for residence verification (identifier and date of birth kept only as keyed hashes)."

    def add_arguments(self, parser):
        parser.add_argument("path", help="CSV with the header identifier,date_of_birth,district (UTF-8)")
        parser.add_argument("--commit", action="store_true", help="store it (otherwise only check)")
        parser.add_argument("--replace", action="store_true", help="remove residents missing from this census")

    def handle(self, *args, path, commit, replace, **options):
        try:
            with open(path, encoding="utf-8-sig", newline="") as lines:
                result = census_import(lines=lines, commit=commit, replace=replace)
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc.strerror}") from None
        except InvalidInput as exc:
            raise CommandError(str(exc)) from None
        for error in result.errors[:50]:
            self.stderr.write(error)
        if result.errors:
            raise CommandError(f"{len(result.errors)} of {result.rows} rows are wrong; nothing stored")
        verb = "stored" if commit else "checked (dry run; --commit stores them)"
        self.stdout.write(f"{result.rows} residents {verb}")
