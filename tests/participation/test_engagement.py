"""Phase gates, supports (once, cap, threshold, withdrawal), requirements, comments and their hiding."""
import pytest
from django.db import IntegrityError, transaction

from participation.errors import Conflict, InvalidInput, NotAllowed, NotFound, NotVerified, PhaseClosed
from participation.models import Comment, Proposal, Support
from participation.services.engagement import comment_post, support_give, support_withdraw
from participation.services.moderation import comment_flag, comment_hide
from participation.services.proposals import proposal_create

from .conftest import inside_point, make_process, set_phase

pytestmark = pytest.mark.django_db


def published(process, author, district="D1", title="More trees on the promenade"):
    return proposal_create(process=process, author=author, title=title, body="Plant plane trees.",
                           place=inside_point(district), publish=True)


@pytest.fixture
def in_supports(resident):
    process = make_process(open_phase="proposals", support_cap=2, support_threshold=2)
    author = resident("D1")
    proposals = [published(process, author, title=f"Idea {i}") for i in range(3)]
    set_phase(process, "supports")
    return process, proposals


def test_phase_support_in_the_proposals_phase_is_409_with_the_supports_dates(resident):
    process = make_process(open_phase="proposals")
    proposal = published(process, resident("D1"))
    with pytest.raises(PhaseClosed) as refused:
        support_give(proposal=proposal, user=resident("D1"))
    supports = process.phases.get(kind="supports")
    assert refused.value.status == 409
    assert refused.value.extra["starts_at"] == supports.starts_at.isoformat()
    assert refused.value.extra["ends_at"] == supports.ends_at.isoformat()
    assert refused.value.extra["current_phase"] == "proposals"
    assert Support.objects.count() == 0


def test_phase_proposing_in_the_voting_phase_is_409(resident):
    process = make_process(open_phase="voting")
    with pytest.raises(PhaseClosed) as refused:
        published(process, resident("D1"))
    assert "'proposals' phase" in refused.value.message
    assert Proposal.objects.count() == 0


def test_phase_after_the_last_phase_nothing_is_open(resident):
    process = make_process(open_phase=None)
    with pytest.raises(PhaseClosed) as refused:
        published(process, resident("D1"))
    assert "no phase of the process is open now" in refused.value.message


def test_support_once_per_participant(in_supports, resident):
    _process, (proposal, *_rest) = in_supports
    supporter = resident("D1")
    support_give(proposal=proposal, user=supporter)
    with pytest.raises(Conflict):
        support_give(proposal=proposal, user=supporter)
    proposal.refresh_from_db()
    assert proposal.support_count == 1


def test_support_unique_constraint_holds_without_the_service(in_supports, resident):
    process, (proposal, *_rest) = in_supports
    supporter = resident("D1")
    Support.objects.create(proposal=proposal, process=process, user=supporter)
    with pytest.raises(IntegrityError), transaction.atomic():
        Support.objects.create(proposal=proposal, process=process, user=supporter)


def test_support_cap_per_process(in_supports, resident):
    _process, proposals = in_supports
    supporter = resident("D1")
    support_give(proposal=proposals[0], user=supporter)
    support_give(proposal=proposals[1], user=supporter)
    with pytest.raises(Conflict) as refused:
        support_give(proposal=proposals[2], user=supporter)
    assert "all 2 supports" in refused.value.message
    assert Support.objects.filter(user=supporter).count() == 2


def test_support_cap_frees_a_support_when_one_is_withdrawn(in_supports, resident):
    _process, proposals = in_supports
    supporter = resident("D1")
    support_give(proposal=proposals[0], user=supporter)
    support_give(proposal=proposals[1], user=supporter)
    support_withdraw(proposal=proposals[0], user=supporter)
    support_give(proposal=proposals[2], user=supporter)
    assert set(Support.objects.filter(user=supporter).values_list("proposal", flat=True)) == {
        proposals[1].id, proposals[2].id}


def test_support_threshold_qualifies_and_withdrawal_below_it_unqualifies(in_supports, resident):
    _process, (proposal, *_rest) = in_supports
    first, second = resident("D1"), resident("D1")
    assert support_give(proposal=proposal, user=first).state == "published"
    assert support_give(proposal=proposal, user=second).state == "qualified"
    after = support_withdraw(proposal=proposal, user=second)
    assert (after.state, after.support_count) == ("published", 1)
    assert [e.to_state for e in proposal.events.filter(kind="state")] == ["published", "qualified", "published"]


def test_support_withdrawal_after_the_phase_is_409(in_supports, resident):
    process, (proposal, *_rest) = in_supports
    supporter = resident("D1")
    support_give(proposal=proposal, user=supporter)
    set_phase(process, "evaluation")
    proposal.refresh_from_db()
    with pytest.raises(PhaseClosed):
        support_withdraw(proposal=proposal, user=supporter)
    assert Support.objects.filter(user=supporter).count() == 1


def test_support_withdrawing_what_was_not_given_is_404(in_supports, resident):
    _process, (proposal, *_rest) = in_supports
    with pytest.raises(NotFound):
        support_withdraw(proposal=proposal, user=resident("D1"))


def test_support_needs_verified_residence_and_says_how(in_supports, resident):
    _process, (proposal, *_rest) = in_supports
    with pytest.raises(NotVerified) as refused:
        support_give(proposal=proposal, user=resident("D1", verify=False))
    assert refused.value.status == 403
    assert "/api/participation/verification/residence" in refused.value.message
    assert refused.value.extra["missing"] == ["residence", "email"]


def test_support_needs_residence_in_the_proposals_district(in_supports, resident):
    _process, (proposal, *_rest) = in_supports
    with pytest.raises(NotVerified) as refused:
        support_give(proposal=proposal, user=resident("D4"))
    assert "residents of" in refused.value.message and "D1" in refused.value.message
    assert Support.objects.count() == 0


def test_comment_needs_only_an_account(in_supports, resident):
    _process, (proposal, *_rest) = in_supports
    comment = comment_post(proposal=proposal, author=resident("D4", verify=False), body="Good idea")
    reply = comment_post(proposal=proposal, author=resident("D2", verify=False), body="Agreed", parent_id=comment.id)
    assert reply.parent_id == comment.id


def test_comment_reply_to_a_comment_of_another_proposal_is_refused(in_supports, resident):
    _process, (first, second, _third) = in_supports
    other = comment_post(proposal=second, author=resident("D1"), body="On the second")
    with pytest.raises(InvalidInput):
        comment_post(proposal=first, author=resident("D1"), body="Reply", parent_id=other.id)


def test_comment_hidden_by_staff_keeps_its_text_and_reason(in_supports, resident, staff):
    _process, (proposal, *_rest) = in_supports
    comment = comment_post(proposal=proposal, author=resident("D1"), body="Insult")
    comment_flag(comment=comment, user=resident("D2"), reason="abusive")
    hidden = comment_hide(comment=comment, staff=staff, reason="abusive language")
    stored = Comment.objects.get(pk=comment.pk)
    assert (stored.body, stored.hidden_reason, stored.hidden_by, stored.flag_count) == (
        "Insult", "abusive language", staff, 1)
    assert hidden.hidden_at is not None


def test_comment_hiding_needs_staff_and_a_reason(in_supports, resident, staff):
    _process, (proposal, *_rest) = in_supports
    comment = comment_post(proposal=proposal, author=resident("D1"), body="Text")
    with pytest.raises(NotAllowed):
        comment_hide(comment=comment, staff=resident("D1"), reason="no")
    with pytest.raises(InvalidInput):
        comment_hide(comment=comment, staff=staff, reason=" ")
    assert Comment.objects.get(pk=comment.pk).hidden_at is None


def test_comment_flagged_twice_by_one_participant_is_409(in_supports, resident):
    _process, (proposal, *_rest) = in_supports
    comment = comment_post(proposal=proposal, author=resident("D1"), body="Text")
    flagger = resident("D2")
    comment_flag(comment=comment, user=flagger, reason="spam")
    with pytest.raises(Conflict):
        comment_flag(comment=comment, user=flagger, reason="spam again")
    assert Comment.objects.get(pk=comment.pk).flag_count == 1
