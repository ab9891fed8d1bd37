"""participation_import_implementation FILE [--commit]: the project office's CSV of implementation records (id and
any of status, progress, starts_on, ends_on, spent, department, cancel_reason, milestone_date, milestone_el,
milestone_en); each row all or nothing, refused rows listed with the reason; a dry run unless --commit."""
from participation.management.import_command import ImportCommand
from participation.services.imports import implementation_import


class Command(ImportCommand):
    help = "Update implementation records in bulk from the project office's CSV (a dry run unless --commit)."
    noun = "rows"

    def run_import(self, *, lines, commit: bool):
        return implementation_import(lines=lines, commit=commit)
