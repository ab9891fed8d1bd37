"""Re-route reports after a boundary or routing-rule change (one set-based SQL statement), as a background job."""
from django.core.management.base import BaseCommand

from issues.services.reroute import issues_reroute
from issues.tasks import reroute


class Command(BaseCommand):
    help = ("Re-route open reports (or all with --include-closed) by the current districts and rules. Queues a job "
            "for the worker (its result in the admin's job list); --now runs it here and prints how many moved.")

    def add_arguments(self, parser):
        parser.add_argument("--include-closed", action="store_true", help="also resolved and closed reports")
        parser.add_argument("--now", action="store_true", help="run in this process instead of queueing a job")

    def handle(self, *args, **options):
        if options["now"]:
            report = issues_reroute(actor="issues_reroute command", include_closed=options["include_closed"])
            self.stdout.write(f"{report.examined} reports examined, {report.moved} moved to another district or department")
            return
        job_id = reroute.defer(actor="issues_reroute command", include_closed=options["include_closed"])
        self.stdout.write(f"re-routing queued as job {job_id}; the worker runs it (see /admin/procrastinate/procrastinatejob/{job_id}/change/)")
