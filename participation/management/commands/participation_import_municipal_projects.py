"""participation_import_municipal_projects FILE [--commit]: the municipal project register's CSV, keyed by reference
(title_el, title_en, year, status, completed_on, cost, district, place, lon, lat, process, implementation); new
references are created, known ones updated; each row all or nothing, refused rows listed; a dry run unless --commit."""
from participation.management.import_command import ImportCommand
from participation.services.imports import municipal_projects_import


class Command(ImportCommand):
    help = "Create and update the municipal project register from a CSV (a dry run unless --commit)."
    noun = "rows"

    def run_import(self, *, lines, commit: bool):
        return municipal_projects_import(lines=lines, commit=commit)
