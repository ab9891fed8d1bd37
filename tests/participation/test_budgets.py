"""Participatory budgets: ballots within the rule (in Python, and in the database when the count opens them), one
ballot per voter, results with their tie rule, on hand-built examples."""
import uuid

import pytest
from django.db import IntegrityError, connection, transaction

from participation.errors import InvalidInput, NotVerified, PhaseClosed
from participation.models import Ballot, BallotCast, BallotChoice, Project, SealedBallot
from participation.results import ResultRow, budget_results, select_greedily
from participation.services.budgets import ballot_of, ballot_submit, ballots_unseal

from .conftest import make_budget, make_process, set_phase

pytestmark = pytest.mark.django_db


def projects(budget, *costs):
    return [Project.objects.create(budget=budget, title_el=f"Έργο {i}", title_en=f"Project {i}", cost=cost)
            for i, cost in enumerate(costs)]


@pytest.fixture
def voting():
    return make_process(open_phase="voting", slug="pb-2027")


def vote(budget, user, chosen):
    return ballot_submit(budget=budget, user=user, project_ids=[p.id for p in chosen])


def counted(budget):
    """The vote closed and the sealed ballots opened, then the results."""
    set_phase(budget.process, "results")
    ballots_unseal(budget=budget)
    return budget_results(budget)


def test_ballot_knapsack_within_the_budget_is_stored(voting, resident):
    budget = make_budget(voting, amount=100, district="D1", minimum_share=70)
    a, b, c = projects(budget, 50, 30, 40)
    voter = resident("D1")
    vote(budget, voter, [a, b])
    assert ballot_of(budget=budget, user=voter) == sorted([a.id, b.id])
    assert SealedBallot.objects.count() == 1 and Ballot.objects.count() == 0  # sealed until the vote closes
    counted(budget)
    assert Ballot.objects.get(budget=budget).total_cost == 80 and SealedBallot.objects.count() == 0


def test_ballot_over_budget_is_400_naming_the_excess(voting, resident):
    budget = make_budget(voting, amount=100, district="D1")
    a, b, c = projects(budget, 50, 30, 40)
    with pytest.raises(InvalidInput) as refused:
        vote(budget, resident("D1"), [a, b, c])
    assert "20 € over the budget of 100 €" in refused.value.message
    assert refused.value.extra["excess"] == 20
    assert SealedBallot.objects.count() == 0 and BallotCast.objects.count() == 0


def test_ballot_under_the_minimum_share_is_400_naming_the_shortfall(voting, resident):
    budget = make_budget(voting, amount=100, district="D1", minimum_share=70)
    a, b, c = projects(budget, 50, 30, 40)
    with pytest.raises(InvalidInput) as refused:
        vote(budget, resident("D1"), [a])
    assert "at least 70 %" in refused.value.message and refused.value.extra["shortfall"] == 20


def test_ballot_approval_with_too_many_projects_is_400(voting, resident):
    budget = make_budget(voting, amount=1000, district="D1", rule="approval", max_projects=2)
    chosen = projects(budget, 10, 20, 30)
    with pytest.raises(InvalidInput) as refused:
        vote(budget, resident("D1"), chosen)
    assert "1 too many; at most 2" in refused.value.message


def test_ballot_with_a_project_of_another_budget_is_400(voting, resident):
    budget = make_budget(voting, amount=100, district="D1")
    other = make_budget(voting, amount=100, district="D2")
    (foreign,) = projects(other, 80)
    with pytest.raises(InvalidInput) as refused:
        vote(budget, resident("D1"), [foreign])
    assert "not on this budget's ballot" in refused.value.message


def test_ballot_changed_while_voting_is_open_replaces_the_first(voting, resident):
    budget = make_budget(voting, amount=100, district="D1", minimum_share=0)
    a, b, c = projects(budget, 50, 30, 40)
    voter = resident("D1")
    vote(budget, voter, [a])
    vote(budget, voter, [b, c])
    assert ballot_of(budget=budget, user=voter) == sorted([b.id, c.id])
    assert SealedBallot.objects.count() == 1 and BallotCast.objects.count() == 1
    counted(budget)
    assert Ballot.objects.count() == 1 and BallotChoice.objects.count() == 2


def test_ballot_outside_the_voting_phase_is_409(resident):
    process = make_process(open_phase="supports")
    budget = make_budget(process, amount=100, district="D1")
    (a,) = projects(budget, 80)
    with pytest.raises(PhaseClosed) as refused:
        vote(budget, resident("D1"), [a])
    assert refused.value.extra["phase"] == "voting"


def test_ballot_in_a_district_budget_needs_residence_there(voting, resident):
    budget = make_budget(voting, amount=100, district="D1")
    (a,) = projects(budget, 80)
    with pytest.raises(NotVerified):
        vote(budget, resident("D2"), [a])
    city = make_budget(voting, amount=100)
    (b,) = projects(city, 80)
    vote(city, resident("D2"), [b])  # the city-wide budget: any verified resident


def _raw_ballot(budget, total, project_ids):
    ballot = Ballot.objects.create(budget=budget, total_cost=total)
    for project_id in project_ids:
        BallotChoice.objects.create(ballot=ballot, project_id=project_id)


def test_ballot_over_budget_is_refused_by_the_database_itself(voting):
    budget = make_budget(voting, amount=100, district="D1")
    a, b, c = projects(budget, 50, 30, 40)
    with pytest.raises(IntegrityError, match="over budget"), transaction.atomic():
        _raw_ballot(budget, 120, [a.id, b.id, c.id])
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    assert Ballot.objects.count() == 0


def test_ballot_with_too_many_approvals_is_refused_by_the_database(voting):
    budget = make_budget(voting, amount=1000, district="D1", rule="approval", max_projects=1)
    a, b = projects(budget, 10, 20)
    with pytest.raises(IntegrityError, match="at most 1"), transaction.atomic():
        _raw_ballot(budget, 30, [a.id, b.id])
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def test_ballot_twice_for_one_voter_is_refused_by_the_database(voting, resident):
    budget = make_budget(voting, amount=100, district="D1", minimum_share=0)
    (a,) = projects(budget, 60)
    voter = resident("D1")
    vote(budget, voter, [a])
    cast = BallotCast.objects.get()
    with pytest.raises(IntegrityError, match="ballot_cast_once"), transaction.atomic():
        BallotCast.objects.create(budget=budget, user=voter, month=cast.month)
    with pytest.raises(IntegrityError, match="pkey"), transaction.atomic():
        SealedBallot.objects.create(cast=cast, budget=budget, sealed=b"again")
    assert SealedBallot.objects.count() == 1


def test_ballot_tables_hold_no_person_no_time_and_no_voter_key(voting, resident):
    budget = make_budget(voting, amount=100, district="D1", minimum_share=0)
    (a,) = projects(budget, 60)
    voter = resident("D1")
    vote(budget, voter, [a])
    counted(budget)
    ballot_columns = {f.column for f in Ballot._meta.fields} | {f.column for f in BallotChoice._meta.fields}
    assert ballot_columns == {"id", "budget_id", "total_cost", "ballot_id", "project_id"}
    assert isinstance(Ballot.objects.get().id, uuid.UUID)
    cast_columns = {f.column for f in BallotCast._meta.fields}
    assert "ballot_id" not in cast_columns and not {"created_at", "at"} & cast_columns


def rows(*spec):
    """(votes, cost) pairs in the order the SQL ranks them."""
    return [ResultRow(project_id=i + 1, title_el="", title_en="", cost=cost, votes=votes, proposal_id=None)
            for i, (votes, cost) in enumerate(spec)]


def test_results_greedy_passes_over_a_project_that_no_longer_fits():
    ranked = select_greedily(rows((10, 60), (8, 50), (5, 40)), amount=100)
    assert [r.selected for r in ranked] == [True, False, True]
    assert [r.rank for r in ranked] == [1, 2, 3]


def test_results_a_project_without_votes_is_not_selected():
    ranked = select_greedily(rows((3, 10), (0, 10)), amount=100)
    assert [r.selected for r in ranked] == [True, False]


def test_results_knapsack_tie_goes_to_the_cheaper_project(voting, resident):
    budget = make_budget(voting, amount=100, district="D1", minimum_share=0)
    dear, cheap, other = projects(budget, 70, 60, 30)
    # both dear and cheap get two votes; other one vote
    vote(budget, resident("D1"), [dear])
    vote(budget, resident("D1"), [cheap])
    vote(budget, resident("D1"), [dear, other])
    vote(budget, resident("D1"), [cheap, other])
    # every project has two votes: the cheapest first; 30 + 60 = 90 selected, 70 no longer fits
    result = counted(budget)
    assert [(r.project_id, r.votes, r.selected) for r in result.rows] == [
        (other.id, 2, True), (cheap.id, 2, True), (dear.id, 2, False)]
    assert result.ballots == 4 and result.spent == 90


def test_results_knapsack_hand_built_example(voting, resident):
    budget = make_budget(voting, amount=100, district="D1", minimum_share=0)
    p50, p40, p30, p20 = projects(budget, 50, 40, 30, 20)
    for chosen in ([p50, p40], [p50, p30], [p50, p20], [p40, p30], [p30, p20], [p30]):
        vote(budget, resident("D1"), chosen)
    # votes: p30 4, p50 3, p40 2, p20 2 (tie: p20 is cheaper) → 30 + 50 = 80, then p20 fits (100), p40 not
    result = counted(budget)
    assert [(r.project_id, r.votes) for r in result.rows] == [(p30.id, 4), (p50.id, 3), (p20.id, 2), (p40.id, 2)]
    assert [r.selected for r in result.rows] == [True, True, True, False]
    assert result.spent == 100


def test_results_equal_votes_and_cost_go_to_the_older_project(voting, resident):
    budget = make_budget(voting, amount=100, district="D1", rule="approval", max_projects=1)
    first, second = projects(budget, 60, 60)
    vote(budget, resident("D1"), [second])
    vote(budget, resident("D1"), [first])
    result = counted(budget)
    assert [(r.project_id, r.selected) for r in result.rows] == [(first.id, True), (second.id, False)]


def test_results_approval_hand_built_example(voting, resident):
    budget = make_budget(voting, amount=100, district="D1", rule="approval", max_projects=2)
    a, b, c, d = projects(budget, 60, 30, 30, 20)
    for chosen in ([a, b], [a, c], [a, d], [b, c], [b], [d]):
        vote(budget, resident("D1"), chosen)
    # votes: a 3, b 3 (b cheaper: first), c 2, d 2 (d cheaper) → b 30, a 60 (90), d 20 does not fit, c neither
    result = counted(budget)
    assert [(r.project_id, r.votes, r.selected) for r in result.rows] == [
        (b.id, 3, True), (a.id, 3, True), (d.id, 2, False), (c.id, 2, False)]


@pytest.mark.parametrize("ids", [[2**70], [0], [-3], ["1"], [True], []])
def test_ballot_with_ids_that_are_not_project_ids_is_400(voting, resident, ids):
    budget = make_budget(voting, amount=100, district="D1")
    with pytest.raises(InvalidInput):
        ballot_submit(budget=budget, user=resident("D1"), project_ids=ids)
    assert SealedBallot.objects.count() == 0
