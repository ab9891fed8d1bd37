"""participation_load_demo [--commit]: the Participatory Budget 2027 demo (labelled as demo data); a dry run
unless --commit. Loading again replaces the previous demo processes."""
from django.core.management.base import BaseCommand, CommandError

from participation.demo import load_demo_participation
from participation.errors import ParticipationError


class Command(BaseCommand):
    help = "Load the participation demo data: a 2027 participatory budget, proposals, supports, comments, ballots."

    def add_arguments(self, parser):
        parser.add_argument("--commit", action="store_true", help="store it (otherwise a dry run)")

    def handle(self, *args, commit, **options):
        try:
            counts = load_demo_participation(commit=commit)
        except ParticipationError as exc:
            raise CommandError(str(exc)) from None
        summary = ", ".join(f"{n} {name}" for name, n in counts.items())
        self.stdout.write(f"{summary} {'stored' if commit else '(dry run; --commit stores them)'}")
