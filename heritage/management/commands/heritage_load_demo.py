"""heritage_load_demo [--commit]: the heritage demo (organisations, monuments and their records, museum objects;
panoramas in a virtual tour of the upper town, a 3D model, a walking route along the walls; all labelled as demo);
a dry run unless --commit. Loading again updates and never duplicates."""
from django.core.management.base import BaseCommand, CommandError

from heritage.demo import load_demo_heritage
from heritage.demo_journeys import load_demo_journeys
from heritage.errors import HeritageError


class Command(BaseCommand):
    help = ("Load the heritage demo data: organisations, a monument per heritage site with its record, museum objects, "
            "a virtual tour, a 3D model and a walking route.")

    def add_arguments(self, parser):
        parser.add_argument("--commit", action="store_true", help="store it (otherwise a dry run)")

    def handle(self, *args, commit, **options):
        try:
            counts = load_demo_heritage(commit=commit)
            for name, n in load_demo_journeys(commit=commit).items():
                counts[name] = counts.get(name, 0) + n
        except HeritageError as exc:
            raise CommandError(str(exc)) from None
        summary = ", ".join(f"{n} {name}" for name, n in counts.items())
        self.stdout.write(f"{summary} {'stored' if commit else '(dry run; --commit stores them)'}")
