"""participation_show_demo_accounts: the demo's sign-in accounts with their passwords (`make run` prints them before
serving); refused under the production settings."""
from django.core.management.base import BaseCommand, CommandError

from participation.demo_accounts import demo_accounts_stored, demo_accounts_table
from participation.errors import ParticipationError


class Command(BaseCommand):
    help = "Print the demo's sign-in accounts (planner, department manager, participation evaluator, verified resident)."

    def handle(self, *args, **options):
        try:
            accounts = demo_accounts_stored()
        except ParticipationError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(demo_accounts_table(accounts))
