"""Concurrent writes against the real database (threads, each with its own connection, committing): one
participant's simultaneous ballots end as one ballot; simultaneous supports stay within the cap."""
import threading

import pytest
from django.db import connections

from layers.demo import load_demo_geography
from participation.errors import Conflict
from participation.models import Ballot, BallotCast, BallotChoice, Project, SealedBallot, Support
from participation.services.budgets import ballot_of, ballot_submit, ballots_unseal
from participation.services.engagement import support_give
from participation.services.proposals import proposal_create

from .conftest import inside_point, make_budget, make_process, set_phase, verified

pytestmark = pytest.mark.django_db(transaction=True)


def run_together(calls):
    """Start every call at the same moment in its own thread; their results or exceptions, in order."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            outcomes[index] = call()
        except Exception as exc:  # noqa: BLE001 - the outcome is inspected by the test
            outcomes[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def test_concurrent_ballots_of_one_participant_store_one_ballot(django_user_model):
    load_demo_geography(commit=True)  # a transactional test starts from an empty database
    process = make_process(open_phase="voting", slug="concurrent")
    budget = make_budget(process, amount=100, district="D1", minimum_share=50)
    a, b, c, d = [Project.objects.create(budget=budget, title_el="x", title_en="x", cost=cost) for cost in (50, 40, 30, 60)]
    voter = verified(django_user_model.objects.create_user("voter", password="pw-123456"), "D1")
    choices = [[a, b], [c, d], [a, c], [b, d], [d], [a], [b, c], [a, b]] * 2
    outcomes = run_together([lambda chosen=chosen: ballot_submit(budget=budget, user=voter,
                                                                 project_ids=[p.id for p in chosen])
                             for chosen in choices])
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    assert SealedBallot.objects.filter(budget=budget).count() == 1
    assert BallotCast.objects.filter(budget=budget).count() == 1
    stored = set(ballot_of(budget=budget, user=voter))
    assert stored in [{p.id for p in chosen} for chosen in choices]  # one submission's choices, never a mix
    set_phase(process, "results")
    assert ballots_unseal(budget=budget) == 1
    ballot = Ballot.objects.get(budget=budget)
    assert ballot.total_cost == sum(p.cost for p in Project.objects.filter(id__in=stored)) <= budget.amount
    assert BallotChoice.objects.count() == len(stored)


def test_concurrent_supports_of_one_participant_stay_within_the_cap(django_user_model):
    load_demo_geography(commit=True)
    process = make_process(open_phase="proposals", slug="concurrent-supports", support_cap=3)
    author = verified(django_user_model.objects.create_user("author", password="pw-123456"), "D1")
    proposals = [proposal_create(process=process, author=author, title=f"Idea {i}", body="text",
                                 place=inside_point("D1"), publish=True) for i in range(8)]
    set_phase(process, "supports")
    supporter = verified(django_user_model.objects.create_user("supporter", password="pw-123456"), "D1")
    outcomes = run_together([lambda p=p: support_give(proposal=p, user=supporter) for p in proposals])
    assert Support.objects.filter(user=supporter).count() == 3
    assert sum(isinstance(o, Conflict) for o in outcomes) == 5
    assert sum(p.support_count for p in type(proposals[0]).objects.filter(process=process)) == 3
