"""participation_load_demo [--commit]: the Participatory Budget 2027 demo (labelled as demo data) and the demo's
sign-in accounts (participation/demo_accounts.py), whose passwords it prints; a dry run unless --commit. Loading
again replaces the previous demo processes and keeps the accounts' passwords. Refused under the production settings."""
from django.core.management.base import BaseCommand, CommandError

from participation.demo import load_demo_participation
from participation.demo_accounts import demo_accounts_allowed, demo_accounts_create, demo_accounts_table
from participation.errors import ParticipationError


class Command(BaseCommand):
    help = ("Load the participation demo data (a 2027 participatory budget, proposals, supports, comments, ballots) "
            "and the demo's sign-in accounts.")

    def add_arguments(self, parser):
        parser.add_argument("--commit", action="store_true", help="store it (otherwise a dry run)")

    def handle(self, *args, commit, **options):
        try:
            demo_accounts_allowed()  # before anything is written
            counts = load_demo_participation(commit=commit)
            accounts = demo_accounts_create() if commit else []
        except ParticipationError as exc:
            raise CommandError(str(exc)) from None
        summary = ", ".join(f"{n} {name}" for name, n in counts.items())
        self.stdout.write(f"{summary} {'stored' if commit else '(dry run; --commit stores them)'}")
        if accounts:
            self.stdout.write(demo_accounts_table(accounts))
