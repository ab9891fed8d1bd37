"""Re-route reports after a boundary or routing-rule change (one set-based SQL statement). Dry run unless --commit."""
from django.core.management.base import BaseCommand

from issues.services.reroute import issues_reroute


class Command(BaseCommand):
    help = ("Re-route open reports (or all with --include-closed) by the current districts and rules; prints how many "
            "move, per department move. Dry run unless --commit.")

    def add_arguments(self, parser):
        parser.add_argument("--include-closed", action="store_true", help="also resolved and closed reports")
        parser.add_argument("--commit", action="store_true", help="write to the database (default: dry run)")

    def handle(self, *args, **options):
        report = issues_reroute(actor="issues_reroute command", include_closed=options["include_closed"],
                                commit=options["commit"])
        self.stdout.write(report.summary())
