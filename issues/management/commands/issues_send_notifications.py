"""Send the e-mails waiting in the outbox; failures are retried later, none is sent twice."""
from django.core.management.base import BaseCommand, CommandError
from django.db import InterfaceError, OperationalError

from issues.services.outbox import notifications_send


class Command(BaseCommand):
    help = "Send due notifications from the outbox (run it every minute from cron or a timer)."

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=500, help="at most this many e-mails in one run")

    def handle(self, *args, **options):
        try:
            report = notifications_send(limit=options["limit"])
        except (OperationalError, InterfaceError) as exc:
            reason = (str(exc).strip().splitlines() or [exc.__class__.__name__])[0][:200]
            raise CommandError(
                f"the database is unavailable ({reason}); the e-mails not marked sent stay in the outbox for the next run"
            ) from None
        self.stdout.write(f"{report.sent} sent, {report.retried} to retry later, {report.given_up} given up")
