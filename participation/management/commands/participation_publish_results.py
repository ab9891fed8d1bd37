"""participation_publish_results <budget>: close a budget's vote and publish its results once the voting phase has
ended (the winning projects selected, their proposals `selected`); refused before, naming the date voting closes.
Publishing again changes nothing, and says so."""
from django.core.management.base import BaseCommand, CommandError

from participation.errors import ParticipationError
from participation.models import Budget
from participation.services.budgets import SERVER_OPERATOR, results_publish


class Command(BaseCommand):
    help = "Publish a participatory budget's results once its vote has closed (the budget's id)."

    def add_arguments(self, parser):
        parser.add_argument("budget", type=int, help="the budget's id (see the admin or /participation/staff/budgets/)")

    def handle(self, *args, budget, **options):
        found = Budget.objects.select_related("process").filter(pk=budget).first()
        if found is None:
            raise CommandError(f"no budget {budget}")
        try:
            published = results_publish(budget=found, staff=SERVER_OPERATOR)
        except ParticipationError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(published.summary())
        if published.changed:
            self.stdout.write(f"{len(published.selected_proposals)} proposals selected: "
                              f"{', '.join(map(str, published.selected_proposals)) or '-'}")
