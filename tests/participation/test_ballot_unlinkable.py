"""Ballot secrecy against someone who can read the database (every table, xmin, ctid, but not the ballot key): the
row saying who voted and the ballot are written in different transactions (the vote seals the ballot under the
ballot key; the count opens the sealed ballots after the vote, in shuffled batches), so neither the transaction id,
nor the physical order, nor any time links a voter to their ballot; one ballot per voter; the budget's rule enforced
by the database when the count writes; a count that fails half-way loses nothing."""
from django.contrib.auth.models import User
from django.db import connection
from django.test import TestCase, override_settings
from django.utils import timezone

from layers.models import District
from participation.errors import Conflict
from participation.models import Ballot, BallotCast, BallotChoice, Budget, Project, SealedBallot, Verification
from participation.sealing import BrokenSeal, unseal
from participation.services.budgets import ballot_of, ballot_submit, ballots_unseal

from .conftest import make_budget, make_process, set_phase

VOTERS = 60


def rows(sql: str, params=()) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def spearman(order: list[int]) -> float:
    n = len(order)
    return 1 - 6 * sum((rank - value) ** 2 for rank, value in enumerate(order)) / (n * (n * n - 1))


class UnlinkableBallots(TestCase):
    """Sixty voters vote one after another, voter i choosing project i alone (so a ballot names its voter to whoever
    could order them), in an approval budget; then the vote closes and the count opens the ballots."""

    @classmethod
    def setUpTestData(cls):
        cls.process = make_process(open_phase="voting", slug="unlinkable")
        cls.budget = make_budget(cls.process, amount=10_000, rule="approval", max_projects=3)
        cls.projects = Project.objects.bulk_create(
            Project(budget=cls.budget, title_el=f"Έργο {n}", title_en=f"Project {n}", cost=100) for n in range(VOTERS))
        cls.voters = User.objects.bulk_create(User(username=f"voter-{n:02d}") for n in range(VOTERS))
        district, now = District.objects.get(code="D1"), timezone.now()
        Verification.objects.bulk_create(
            Verification(user=user, census_key=f"unlinkable-{user.pk}", district=district, residence_verified_at=now,
                         email=f"{user.username}@example.org", email_confirmed_at=now) for user in cls.voters)
        for voter, project in zip(cls.voters, cls.projects):
            ballot_submit(budget=cls.budget, user=voter, project_ids=[project.id])

    def count(self, **options) -> int:
        set_phase(self.process, "results")
        return ballots_unseal(budget=self.budget, **options)

    def voter_of_ballot(self) -> dict:
        project_voter = {project.id: n for n, project in enumerate(self.projects)}
        return {ballot: project_voter[project] for ballot, project in
                BallotChoice.objects.values_list("ballot_id", "project_id")}

    def test_while_the_vote_is_open_only_sealed_ballots_exist_of_one_length_whatever_they_hold(self):
        assert Ballot.objects.count() == 0 and SealedBallot.objects.count() == VOTERS
        ballot_submit(budget=self.budget, user=self.voters[0], project_ids=[p.id for p in self.projects[:3]])
        assert len({len(bytes(s)) for s in SealedBallot.objects.values_list("sealed", flat=True)}) == 1
        assert ballot_of(budget=self.budget, user=self.voters[0]) == sorted(p.id for p in self.projects[:3])

    def test_a_sealed_ballot_does_not_open_without_the_ballot_key(self):
        sealed = SealedBallot.objects.first()
        with override_settings(PARTICIPATION_BALLOT_KEY="someone else's key"):
            with self.assertRaises(BrokenSeal):
                unseal(self.budget.id, sealed.sealed)

    def test_the_transaction_ids_of_the_ballots_are_not_those_of_the_voters_rows(self):
        cast_xmins = {x for (x,) in rows("SELECT xmin::text FROM participation_ballotcast")}
        assert self.count() == VOTERS
        ballot_xmins = {x for (x,) in rows("SELECT xmin::text FROM participation_ballot")}
        choice_xmins = {x for (x,) in rows("SELECT xmin::text FROM participation_ballotchoice")}
        assert len(ballot_xmins) == 1 and ballot_xmins == choice_xmins  # one batch: one transaction for all of them
        assert not ballot_xmins & cast_xmins
        assert {x for (x,) in rows("SELECT xmin::text FROM participation_ballotcast")} == cast_xmins  # untouched

    def test_the_physical_order_of_the_ballots_does_not_follow_the_voters_order(self):
        self.count()
        voter_of = self.voter_of_ballot()
        by_ctid = [voter_of[ballot] for (ballot,) in rows("SELECT id FROM participation_ballot ORDER BY ctid")]
        assert sorted(by_ctid) == list(range(VOTERS))
        assert abs(spearman(by_ctid)) < 0.6, by_ctid  # a random order: |rho| > 0.6 has a chance of about 4e-6
        by_choice_ctid = [voter_of[b] for (b,) in rows("SELECT ballot_id FROM participation_ballotchoice ORDER BY ctid")]
        assert abs(spearman(by_choice_ctid)) < 0.6, by_choice_ctid
        by_id = [voter_of[ballot] for (ballot,) in rows("SELECT id FROM participation_ballot ORDER BY id")]
        assert abs(spearman(by_id)) < 0.6, by_id

    def test_no_time_finer_than_the_month_is_stored_and_commit_times_are_not_kept(self):
        self.count()
        timed = rows("""SELECT table_name, column_name FROM information_schema.columns
                        WHERE table_name IN ('participation_ballot', 'participation_ballotchoice',
                                             'participation_sealedballot', 'participation_ballotcast')
                          AND (data_type LIKE 'time%%' OR data_type = 'date' OR data_type = 'interval')""")
        assert timed == [("participation_ballotcast", "month")]
        assert {m.day for m in BallotCast.objects.values_list("month", flat=True)} == {1}
        assert rows("SHOW track_commit_timestamp") == [("off",)]

    def test_each_voter_has_one_ballot_after_voting_again(self):
        ballot_submit(budget=self.budget, user=self.voters[5], project_ids=[self.projects[7].id])
        assert self.count() == VOTERS
        assert Ballot.objects.count() == BallotCast.objects.count() == VOTERS
        votes = dict(BallotChoice.objects.values_list("project_id").annotate(n=__import__("django").db.models.Count("id")))
        assert votes[self.projects[7].id] == 2 and self.projects[5].id not in votes

    def test_once_counted_nobody_finds_a_voters_ballot_again(self):
        self.count()
        assert ballot_of(budget=self.budget, user=self.voters[3]) is None
        assert SealedBallot.objects.count() == 0

    def test_a_vote_after_the_close_is_refused_and_the_count_waits_for_the_close(self):
        with self.assertRaises(Conflict):
            ballots_unseal(budget=self.budget)  # the vote is still open
        set_phase(self.process, "results")
        with self.assertRaises(Exception):
            ballot_submit(budget=self.budget, user=self.voters[1], project_ids=[self.projects[1].id])

    def test_a_count_that_fails_half_way_loses_nothing_and_the_database_enforces_the_rule(self):
        # the budget's rule changed after the vote: one ballot of three projects now breaks it; the database's
        # triggers refuse the batch holding it as a whole when the count writes it
        ballot_submit(budget=self.budget, user=self.voters[40], project_ids=[p.id for p in self.projects[40:43]])
        Budget.objects.filter(pk=self.budget.pk).update(max_projects=2)
        with self.assertRaises(Conflict):
            self.count(batch=15)  # four batches of 15; the one holding that ballot fails
        opened, sealed = Ballot.objects.count(), SealedBallot.objects.count()
        assert opened + sealed == VOTERS and sealed >= 15 and opened % 15 == 0
        Budget.objects.filter(pk=self.budget.pk).update(max_projects=3)
        assert ballots_unseal(budget=self.budget, batch=15) == sealed
        assert Ballot.objects.count() == VOTERS and SealedBallot.objects.count() == 0
        assert BallotChoice.objects.count() == VOTERS + 2
