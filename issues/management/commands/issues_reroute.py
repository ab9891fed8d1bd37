"""Re-route reports after a boundary or routing-rule change (one set-based SQL statement). Dry run unless --commit;
with --commit the re-routing is a background job (--now runs it in this process)."""
from django.core.management.base import BaseCommand

from issues.services.reroute import issues_reroute
from issues.tasks import reroute


class Command(BaseCommand):
    help = ("Re-route open reports (or all with --include-closed) by the current districts and rules; prints how many "
            "move, per department move. Dry run unless --commit, which queues a job for the worker (its result in the "
            "admin's job list); --commit --now runs it here.")

    def add_arguments(self, parser):
        parser.add_argument("--include-closed", action="store_true", help="also resolved and closed reports")
        parser.add_argument("--commit", action="store_true", help="write to the database (default: dry run)")
        parser.add_argument("--now", action="store_true", help="with --commit: run in this process instead of queueing a job")

    def handle(self, *args, **options):
        if options["commit"] and not options["now"]:
            job_id = reroute.defer(actor="issues_reroute command", include_closed=options["include_closed"])
            self.stdout.write(f"re-routing queued as job {job_id}; the worker runs it "
                              f"(see /admin/procrastinate/procrastinatejob/{job_id}/change/)")
            return
        report = issues_reroute(actor="issues_reroute command", include_closed=options["include_closed"],
                                commit=options["commit"])
        self.stdout.write(report.summary())
