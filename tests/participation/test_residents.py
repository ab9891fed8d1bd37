"""What residents do from the pages (edit, withdraw with a reason, photos, co-authors and their inbox, collaborative
drafts, withdrawing a support, reporting), their activity page, and moderation (reports that hide, hiding and
restoring with a public reason, blocking an account), each rule with its own test; every page post and API write
under the citizen write limit."""
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from PIL import Image
from rest_framework.test import APIClient

from participation.models import (
    BallotCast, CoAuthor, Comment, JoinRequest, ModerationDecision, Project, Proposal, ProposalPhoto, Support,
)
from participation.services.budgets import ballot_submit
from participation.errors import Conflict
from participation.services.collaboration import draft_collaboration, join_request
from participation.services.engagement import comment_post, support_give
from participation.services.moderation import account_block, comment_flag, proposal_flag, proposal_hide
from participation.services.proposals import coauthor_invite, proposal_answer, proposal_create

from .conftest import inside_point, make_budget, make_process, set_phase

pytestmark = pytest.mark.django_db
API = "/api/participation"


def page_client(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def api_client(user) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_authenticate(user)
    return client


@pytest.fixture
def process():
    return make_process(open_phase="proposals", slug="ideas", support_threshold=5)


@pytest.fixture
def author(resident):
    return resident("D1")


@pytest.fixture
def proposal(process, author):
    return proposal_create(process=process, author=author, title="Benches in the square", body="Six benches.",
                           place=inside_point("D1"), publish=True)


def manage(client, proposal, **form):
    return client.post(f"/participation/proposals/{proposal.pk}/edit/", form)


# --- editing, withdrawing, photos ----------------------------------------------------------------------------------

def test_a_resident_edits_the_text_from_the_page_and_the_history_keeps_it(proposal, author):
    client = page_client(author)
    assert 'id="edit-form"' in client.get(f"/participation/proposals/{proposal.pk}/edit/").content.decode()
    response = manage(client, proposal, form="edit", title="Benches and shade", body="Six benches, two trees.")
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert (proposal.title, proposal.body) == ("Benches and shade", "Six benches, two trees.")
    assert proposal.events.filter(kind="edit", title="Benches and shade").exists()


def test_edit_refused_once_the_city_accepted_the_proposal_is_409(proposal, author, staff):
    proposal_answer(proposal=proposal, staff=staff, to_state="accepted", reason="Feasible")
    response = manage(page_client(author), proposal, form="edit", title="Changed", body="Changed.")
    assert response.status_code == 409 and 'id="error-edit"' in response.content.decode()
    assert api_client(author).patch(f"{API}/proposals/{proposal.pk}", {"title": "Changed"}, format="json").json()[
        "code"] == "not_editable"
    assert Proposal.objects.get(pk=proposal.pk).title == "Benches in the square"


def test_withdrawing_needs_a_reason_next_to_its_field(proposal, author):
    response = manage(page_client(author), proposal, form="withdraw", reason="  ")
    html = response.content.decode()
    assert response.status_code == 400 and 'id="error-reason"' in html and 'aria-invalid="true"' in html
    assert Proposal.objects.get(pk=proposal.pk).state == "published"
    api = api_client(author).post(f"{API}/proposals/{proposal.pk}/withdraw", {}, format="json")
    assert api.status_code == 400 and api.json()["parameter"] == "reason"


def test_withdrawing_with_a_reason_keeps_it_in_the_history_and_goes_to_my_activity(proposal, author):
    response = manage(page_client(author), proposal, form="withdraw", reason="The city did it already")
    assert response.status_code == 302 and response["Location"] == "/participation/account/activity/"
    assert Proposal.objects.get(pk=proposal.pk).events.filter(to_state="withdrawn",
                                                               reason="The city did it already").exists()


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 60, 30)).save(out, "PNG")
    return out.getvalue()


def test_a_photo_is_added_from_the_page_and_a_missing_file_is_named(proposal, author):
    client = page_client(author)
    missing = manage(client, proposal, form="photo")
    assert missing.status_code == 400 and 'id="error-photo"' in missing.content.decode()
    added = manage(client, proposal, form="photo", photo=SimpleUploadedFile("p.png", png(), content_type="image/png"))
    assert added.status_code == 302 and ProposalPhoto.objects.filter(proposal=proposal).count() == 1


# --- co-authors and the inbox --------------------------------------------------------------------------------------

def test_inviting_yourself_as_co_author_is_refused(proposal, author):
    response = manage(page_client(author), proposal, form="invite", username=author.username)
    assert response.status_code == 400 and 'id="error-username"' in response.content.decode()
    api = api_client(author).post(f"{API}/proposals/{proposal.pk}/coauthors", {"username": author.username}, format="json")
    assert (api.status_code, api.json()["code"]) == (400, "self")
    assert not CoAuthor.objects.exists()


def test_an_invitation_is_accepted_once_from_the_inbox(proposal, author, resident):
    invitee = resident("D2")
    manage(page_client(author), proposal, form="invite", username=invitee.username)
    client = page_client(invitee)
    assert "Benches in the square" in client.get("/participation/account/inbox/").content.decode()
    assert client.post("/participation/account/inbox/", {"step": "accept", "proposal": proposal.pk}).status_code == 302
    again = client.post("/participation/account/inbox/", {"step": "accept", "proposal": proposal.pk})
    assert again.status_code == 409 and "accepted this invitation already" in again.content.decode()
    assert CoAuthor.objects.get(user=invitee).accepted_at is not None
    assert manage(client, proposal, form="edit", title="Benches, by two", body="Six benches.").status_code == 302


def test_a_declined_invitation_gives_no_right_to_edit(proposal, author, resident):
    invitee = resident("D2")
    coauthor_invite(proposal=proposal, inviter=author, username=invitee.username)
    client = page_client(invitee)
    assert client.post("/participation/account/inbox/", {"step": "decline", "proposal": proposal.pk}).status_code == 302
    assert client.get(f"/participation/proposals/{proposal.pk}/edit/").status_code == 404


# --- collaborative drafts ------------------------------------------------------------------------------------------

@pytest.fixture
def draft(process, author):
    return proposal_create(process=process, author=author, title="A library corner", body="Books to share.")


def test_a_collaborative_draft_is_joined_edited_and_published_with_its_co_author(process, draft, author, resident):
    joiner = resident("D2")
    assert manage(page_client(author), draft, form="collaboration", open="1").status_code == 302
    client = page_client(joiner)
    listed = client.get(f"/participation/{process.slug}/drafts/").content.decode()
    assert "A library corner" in listed and "Ask to join" in listed
    assert client.post(f"/participation/{process.slug}/drafts/", {"proposal": draft.pk}).status_code == 302
    join = JoinRequest.objects.get(proposal=draft, user=joiner)
    assert page_client(author).post("/participation/account/inbox/",
                                    {"step": "join-accept", "request": join.pk}).status_code == 302
    assert manage(client, draft, form="edit", title="A library corner", body="Books and a bench.").status_code == 302
    assert manage(page_client(author), draft, form="publish").status_code == 302
    draft.refresh_from_db()
    assert (draft.state, draft.body, draft.open_for_collaboration) == ("published", "Books and a bench.", False)
    assert CoAuthor.objects.filter(proposal=draft, user=joiner, accepted_at__isnull=False).exists()


def test_a_request_to_join_a_closed_draft_is_refused(process, draft, author, resident):
    joiner = resident("D2")
    draft_collaboration(proposal=draft, actor=author, open_=True)
    draft_collaboration(proposal=draft, actor=author, open_=False)
    with pytest.raises(Conflict) as refused:
        join_request(proposal=draft, user=joiner)
    assert (refused.value.status, refused.value.code) == (409, "draft_closed")
    # closed, the draft is no longer shown to others: the page and the API answer as for any draft
    assert page_client(joiner).post(f"/participation/{process.slug}/drafts/", {"proposal": draft.pk}).status_code == 404
    assert api_client(joiner).post(f"{API}/proposals/{draft.pk}/join-requests").status_code == 404
    assert not JoinRequest.objects.exists()


# --- supports ------------------------------------------------------------------------------------------------------

def test_a_support_is_withdrawn_from_the_page(process, proposal, resident):
    set_phase(process, "supports")
    supporter = resident("D1")
    support_give(proposal=proposal, user=supporter)
    client = page_client(supporter)
    assert 'id="support-withdraw"' in client.get(f"/participation/proposals/{proposal.pk}/").content.decode()
    response = client.post(f"/participation/proposals/{proposal.pk}/support/withdraw/")
    assert response.status_code == 302
    assert not Support.objects.exists() and Proposal.objects.get(pk=proposal.pk).support_count == 0
    assert "Your support is withdrawn." in client.get(response["Location"]).content.decode()


def test_withdrawing_a_support_not_given_is_404(process, proposal, resident):
    set_phase(process, "supports")
    response = page_client(resident("D1")).post(f"/participation/proposals/{proposal.pk}/support/withdraw/")
    assert response.status_code == 404 and "you do not support this proposal" in response.content.decode()


# --- reports and automatic hiding ----------------------------------------------------------------------------------

def test_reports_from_one_account_count_once(proposal, resident):
    reporter = api_client(resident("D2"))
    assert reporter.post(f"{API}/proposals/{proposal.pk}/flag", {"reason": "advert"}, format="json").status_code == 200
    again = reporter.post(f"{API}/proposals/{proposal.pk}/flag", {"reason": "advert"}, format="json")
    assert (again.status_code, again.json()["code"]) == (409, "already_reported")
    assert Proposal.objects.get(pk=proposal.pk).flag_count == 1


def test_a_report_needs_a_reason(proposal, resident):
    response = page_client(resident("D2")).post(f"/participation/proposals/{proposal.pk}/report/", {"reason": ""})
    assert response.status_code == 400 and 'id="error-reason"' in response.content.decode()


def test_reports_from_unverified_accounts_do_not_hide(proposal, resident):
    for _n in range(3):
        proposal_flag(proposal=proposal, user=resident("D2", verify=False), reason="spam")
    proposal.refresh_from_db()
    assert proposal.flag_count == 3 and proposal.hidden_at is None


def test_three_verified_reports_hide_a_proposal_from_lists_map_and_page(process, proposal, resident, client):
    for _n in range(3):
        page_client(resident("D2")).post(f"/participation/proposals/{proposal.pk}/report/", {"reason": "insulting"})
    proposal.refresh_from_db()
    assert proposal.hidden_at is not None and proposal.hidden_by is None
    html = client.get(f"/participation/proposals/{proposal.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Hidden after reports from residents" in html and "Six benches." not in html
    assert client.get(f"{API}/processes/{process.slug}/proposals").json()["count"] == 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM ogc_participation_proposals WHERE id = %s", [proposal.pk])
        assert cursor.fetchone()[0] == 0
    assert ModerationDecision.objects.get(proposal=proposal).action == "hidden_after_reports"


def test_a_moderator_restores_with_a_public_reason_and_the_author_is_told(proposal, author, staff, resident):
    for _n in range(3):
        proposal_flag(proposal=proposal, user=resident("D2"), reason="insulting")
    client = page_client(staff)
    queue = client.get("/participation/moderation/").content.decode()
    assert f'id="queue-proposal-{proposal.pk}"' in queue and "insulting" in queue
    response = client.post("/participation/moderation/", {"step": "restore-proposal", "id": proposal.pk,
                                                           "reason": "A fair criticism, not an insult"})
    assert response.status_code == 302 and Proposal.objects.get(pk=proposal.pk).hidden_at is None
    activity = page_client(author).get("/participation/account/activity/").content.decode()
    assert "Shown again" in activity and "A fair criticism, not an insult" in activity
    # the reports answered by the restore no longer count: one more does not hide it again
    proposal_flag(proposal=proposal, user=resident("D2"), reason="still insulting")
    assert Proposal.objects.get(pk=proposal.pk).hidden_at is None


def test_hiding_needs_a_reason_and_a_moderator(proposal, resident, staff):
    proposal_flag(proposal=proposal, user=resident("D2"), reason="off topic")
    refused = page_client(resident("D1")).get("/participation/moderation/")
    assert refused.status_code == 403
    response = page_client(staff).post("/participation/moderation/",
                                       {"step": "hide-proposal", "id": proposal.pk, "reason": ""})
    assert response.status_code == 400 and 'aria-invalid="true"' in response.content.decode()
    assert Proposal.objects.get(pk=proposal.pk).hidden_at is None


# --- blocking ------------------------------------------------------------------------------------------------------

def test_a_blocked_account_is_refused_with_403_its_content_hidden_until_unblocked(process, proposal, author, staff,
                                                                                resident):
    commenter = resident("D1")
    comment = comment_post(proposal=proposal, author=commenter, body="Buy cheap watches")
    client = page_client(staff)
    assert client.post("/participation/moderation/", {"step": "block", "username": commenter.username,
                                                       "reason": "Advertising"}).status_code == 302
    assert Comment.objects.get(pk=comment.pk).hidden_at is not None
    assert Proposal.objects.get(pk=proposal.pk).comment_count == 0
    refused = api_client(commenter).post(f"{API}/proposals/{proposal.pk}/comments", {"body": "Again"}, format="json")
    assert (refused.status_code, refused.json()["code"]) == (403, "account_blocked")
    assert "Advertising" in refused.json()["detail"]
    activity = page_client(commenter).get("/participation/account/activity/").content.decode()
    assert 'id="blocked-note"' in activity
    assert client.post("/participation/moderation/", {"step": "unblock", "username": commenter.username,
                                                       "reason": "Promised to stop"}).status_code == 302
    assert Comment.objects.get(pk=comment.pk).hidden_at is None
    assert Proposal.objects.get(pk=proposal.pk).comment_count == 1


def test_blocking_keeps_what_a_moderator_hid_for_its_own_reason(proposal, author, staff):
    proposal_hide(proposal=proposal, moderator=staff, reason="Copied text")
    account_block(username=author.username, moderator=staff, reason="Repeated copying")
    page_client(staff).post("/participation/moderation/", {"step": "unblock", "username": author.username,
                                                           "reason": "Reviewed"})
    assert Proposal.objects.get(pk=proposal.pk).hidden_reason == "Copied text"


# --- my activity ---------------------------------------------------------------------------------------------------

def test_my_activity_lists_proposals_supports_comments_and_my_own_ballot(proposal, author, resident):
    voting = make_process(open_phase="voting", slug="pb")
    budget = make_budget(voting, amount=100, district="D1", minimum_share=0)
    chosen = Project.objects.create(budget=budget, title_el="Παγκάκια", title_en="Benches project", cost=40)
    Project.objects.create(budget=budget, title_el="Άλλο", title_en="Another project", cost=40)
    ballot_submit(budget=budget, user=author, project_ids=[chosen.pk])
    comment_post(proposal=proposal, author=author, body="My own remark")
    html = page_client(author).get("/participation/account/activity/").content.decode()
    mine = re.search(r'id="my-ballots">(.*?)</ul>', html, re.S).group(1)
    assert "You voted in Budget D1" in mine and "Benches project" in mine and "Another project" not in mine
    assert "Benches in the square" in html and "My own remark" in html
    assert BallotCast.objects.filter(user=author).count() == 1
    other = page_client(resident("D1")).get("/participation/account/activity/").content.decode()
    assert "Benches project" not in other and "You have not voted yet." in other


def test_my_activity_needs_a_sign_in():
    response = Client().get("/participation/account/activity/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


# --- the write limit -----------------------------------------------------------------------------------------------

def test_page_posts_over_the_write_limit_are_429_with_retry_after(settings, proposal, author):
    settings.ANONYMOUS_WRITE_LIMIT = 1
    client = page_client(author)
    assert manage(client, proposal, form="edit", title="One", body="Six benches.").status_code == 302
    over = manage(client, proposal, form="edit", title="Two", body="Six benches.")
    assert over.status_code == 429 and int(over["Retry-After"]) > 0 and "retry in" in over.content.decode()
    assert Proposal.objects.get(pk=proposal.pk).title == "One"


def test_api_writes_over_the_write_limit_are_429_with_retry_after(settings, proposal, author):
    settings.ANONYMOUS_WRITE_LIMIT = 1
    client = api_client(author)
    assert client.patch(f"{API}/proposals/{proposal.pk}", {"title": "One"}, format="json").status_code == 200
    over = client.patch(f"{API}/proposals/{proposal.pk}", {"title": "Two"}, format="json")
    assert (over.status_code, over.json()["code"]) == (429, "throttled") and int(over["Retry-After"]) > 0
    assert Proposal.objects.get(pk=proposal.pk).title == "One"
    assert client.get(f"{API}/proposals/{proposal.pk}").status_code == 200  # reads are not counted


def test_comment_hidden_after_three_verified_reports_shows_so_in_its_thread(process, proposal, resident, client):
    comment = comment_post(proposal=proposal, author=resident("D1"), body="Rude words")
    for _n in range(3):
        comment_flag(comment=comment, user=resident("D2"), reason="rude")
    html = client.get(f"/participation/proposals/{proposal.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Hidden after reports from residents" in html and "Rude words" not in html


def test_the_residents_and_moderators_pages_answer_in_greek_and_english_without_inline_script_or_style(
        process, proposal, author, staff, resident):
    comment = comment_post(proposal=proposal, author=resident("D2"), body="A remark")
    proposal_flag(proposal=proposal, user=resident("D2"), reason="off topic")
    pages = {author: ["/participation/account/activity/", "/participation/account/inbox/",
                      f"/participation/proposals/{proposal.pk}/edit/", f"/participation/{process.slug}/drafts/",
                      f"/participation/comments/{comment.pk}/report/"],
             staff: ["/participation/moderation/"]}
    for user, paths in pages.items():
        client = Client()
        client.force_login(user)
        for path in paths:
            greek = client.get(path, HTTP_ACCEPT_LANGUAGE="el")
            english = client.get(path, HTTP_ACCEPT_LANGUAGE="en")
            assert greek.status_code == english.status_code == 200, path
            assert '<html lang="el">' in greek.content.decode() and '<html lang="en">' in english.content.decode()
            for html in (greek.content.decode(), english.content.decode()):
                assert not re.search(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", html), path
                assert not re.search(r"\sstyle=|<style", html), path
    assert "Η δραστηριότητά μου" in page_client(author).get("/participation/account/activity/",
                                                               HTTP_ACCEPT_LANGUAGE="el").content.decode()


def test_the_api_moderates_as_the_pages_do(proposal, author, staff, resident):
    moderator = api_client(staff)
    assert api_client(resident("D1")).get(f"{API}/moderation/queue").status_code == 403
    hidden = moderator.post(f"{API}/proposals/{proposal.pk}/hide", {"reason": "Personal data in the text"}, format="json")
    assert hidden.status_code == 200 and hidden.json()["hidden"] is True
    assert moderator.get(f"{API}/moderation/queue").json()["proposals"][0]["id"] == proposal.pk
    assert api_client(resident("D2")).get(f"{API}/proposals/{proposal.pk}").status_code == 404
    mine = api_client(author).get(f"{API}/me/activity").json()
    assert mine["decisions"][0] == {**mine["decisions"][0], "action": "hidden", "reason": "Personal data in the text"}
    assert moderator.post(f"{API}/proposals/{proposal.pk}/restore", {"reason": "Removed by the author"},
                          format="json").json()["hidden"] is False
    blocked = moderator.post(f"{API}/moderation/blocks", {"username": author.username, "reason": "Spam"}, format="json")
    assert blocked.json() == {"username": author.username, "blocked": True}
    assert api_client(author).get(f"{API}/me/activity").json()["blocked_reason"] == "Spam"
    assert moderator.post(f"{API}/moderation/unblocks", {"username": author.username, "reason": "Appeal"},
                          format="json").json()["blocked"] is False
    assert moderator.post(f"{API}/moderation/unblocks", {"username": author.username, "reason": "Again"},
                          format="json").status_code == 409


def test_the_api_inbox_lists_invitations_and_join_requests(process, draft, author, resident):
    invitee, joiner = resident("D2"), resident("D3")
    coauthor_invite(proposal=draft, inviter=author, username=invitee.username)
    assert api_client(author).post(f"{API}/proposals/{draft.pk}/collaboration", {"open": True},
                                   format="json").json()["open_for_collaboration"] is True
    request_id = api_client(joiner).post(f"{API}/proposals/{draft.pk}/join-requests").json()["id"]
    assert api_client(invitee).get(f"{API}/me/inbox").json()["invitations"][0]["proposal"] == draft.pk
    assert [j["id"] for j in api_client(author).get(f"{API}/me/inbox").json()["join_requests"]] == [request_id]
    rejected = api_client(author).post(f"{API}/join-requests/{request_id}/answer", {"accept": False}, format="json")
    assert rejected.json()["state"] == "rejected"
    again = api_client(author).post(f"{API}/join-requests/{request_id}/answer", {"accept": True}, format="json")
    assert (again.status_code, again.json()["code"]) == (409, "already_answered")
    declined = api_client(invitee).post(f"{API}/proposals/{draft.pk}/coauthors/decline")
    assert declined.json() == {"declined": True}


def test_the_citys_staff_work_their_queues_outside_the_residents_write_limit(settings, proposal, author, staff):
    settings.ANONYMOUS_WRITE_LIMIT = 1
    client = api_client(staff)
    answers = [client.post(f"{API}/proposals/{proposal.pk}/answer", {"state": "rejected", "reason": f"Reason {n}."},
                           format="json").status_code for n in range(3)]
    assert 429 not in answers and Proposal.objects.get(pk=proposal.pk).state == "rejected"
