"""Results of a participatory budget: projects ranked by votes and chosen greedily while the budget lasts."""
from dataclasses import dataclass, field

from core.sql_files import fetch_all, fetch_one

from .models import Budget

TIE_RULE = ("Projects are ranked by votes; on equal votes the cheaper project ranks first, then the one put on the "
            "ballot first. Going down the ranking, each project is selected when its cost fits in what is left of "
            "the budget; a project that does not fit is passed over and the next one is tried.")


@dataclass
class ResultRow:
    project_id: int
    title_el: str
    title_en: str
    cost: int
    votes: int
    proposal_id: int | None
    rank: int = 0
    selected: bool = False


@dataclass
class BudgetResults:
    budget: Budget
    ballots: int
    rows: list[ResultRow] = field(default_factory=list)

    @property
    def spent(self) -> int:
        return sum(r.cost for r in self.rows if r.selected)


def select_greedily(rows: list[ResultRow], amount: int) -> list[ResultRow]:
    """rows already in rank order; marks the selected ones and numbers the ranks."""
    left = amount
    for rank, row in enumerate(rows, start=1):
        row.rank = rank
        row.selected = row.votes > 0 and row.cost <= left
        if row.selected:
            left -= row.cost
    return rows


def budget_results(budget: Budget) -> BudgetResults:
    rows = [ResultRow(**r) for r in fetch_all("participation", "budget_votes", {"budget": budget.id})]
    counts = fetch_one("participation", "budget_ballots", {"budget": budget.id})
    return BudgetResults(budget=budget, ballots=counts["ballots"], rows=select_greedily(rows, budget.amount))
