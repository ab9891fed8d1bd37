"""Following and notices: followers of a proposal or a process are told of answers, changes of state, invitations,
a phase opening and replies, once each and never of their own acts; e-mails go through participation's outbox and
the job queue exactly once, with a signed one-click unsubscribe (RFC 8058), or in a daily digest; the notifications
page and the API list the same notices."""
from datetime import timedelta

from django.contrib.auth.models import User
from django.core import mail
from django.test import Client, TestCase
from django.utils import timezone

from core.jobs import run_due_jobs_here
from participation.models import Follow, Notice, NoticeEmail, Phase
from participation.services.engagement import comment_post
from participation.services.notifications import (
    digests_write, follow_start, notice_settings_set, notices_send, phases_announce, unsubscribe_token,
)
from participation.services.proposals import coauthor_invite, proposal_answer, proposal_create, proposal_withdraw
from tests.participation.conftest import make_process, verified

API = "/api/participation"


class Notices(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.process = make_process(slug="noticed", open_phase="proposals")
        cls.author = verified(User.objects.create_user("author", email="author@example.org"), "D1")
        cls.follower = User.objects.create_user("follower", email="follower@example.org")
        cls.other = User.objects.create_user("other", email="other@example.org")
        cls.staff = User.objects.create_user("staff", email="staff@example.org", is_staff=True)

    def setUp(self):
        self.proposal = proposal_create(process=self.process, author=self.author, title="Shade trees",
                                        body="Plane trees on the square.", publish=True)
        follow_start(user=self.follower, proposal=self.proposal)

    def answer(self):
        return proposal_answer(proposal=self.proposal, staff=self.staff, to_state="accepted", reason="Good idea.")

    def test_an_answer_is_told_to_the_followers_and_the_author_not_to_the_staff_who_gave_it(self):
        self.answer()
        told = Notice.objects.filter(kind=Notice.Kind.ANSWER)
        assert sorted(told.values_list("user__username", flat=True)) == ["author", "follower"]
        assert "Good idea." in told.get(user=self.follower).text_en

    def test_a_follower_receives_the_answer_by_email_exactly_once_through_the_job_queue(self):
        with self.captureOnCommitCallbacks(execute=True):
            self.answer()
        assert ("participation.send_notices", "succeeded") in run_due_jobs_here(queues=["mail"])
        notices_send()  # a second run sends nothing again
        to_follower = [m for m in mail.outbox if m.to == ["follower@example.org"]]
        assert len(to_follower) == 1
        message = to_follower[0]
        assert "Shade trees" in message.subject and "/participation/proposals/" in message.body
        assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert message.extra_headers["List-Unsubscribe"].startswith("<http") and "/unsubscribe/" in message.extra_headers["List-Unsubscribe"]

    def test_a_change_of_state_is_told_to_the_process_followers_not_to_the_author_who_made_it(self):
        follow_start(user=self.other, process=self.process)
        proposal_withdraw(proposal=self.proposal, actor=self.author, reason="Merged into another proposal.")
        told = Notice.objects.filter(kind=Notice.Kind.STATE)
        assert sorted(told.values_list("user__username", flat=True)) == ["follower", "other"]

    def test_one_event_tells_a_participant_once_even_when_they_follow_both_the_proposal_and_its_process(self):
        follow_start(user=self.follower, process=self.process)
        self.answer()
        assert Notice.objects.filter(user=self.follower).count() == 1
        assert NoticeEmail.objects.filter(user=self.follower).count() == 1

    def test_an_invitation_is_told_to_the_invitee(self):
        coauthor_invite(proposal=self.proposal, inviter=self.author, username="other")
        assert list(Notice.objects.filter(kind=Notice.Kind.INVITATION).values_list("user__username", flat=True)) == ["other"]

    def test_a_reply_is_told_to_the_comment_author_and_the_followers(self):
        from tests.participation.conftest import set_phase

        set_phase(self.process, "supports")
        commenter = verified(User.objects.create_user("commenter", email="c@example.org"), "D2")
        first = comment_post(proposal=self.proposal, author=commenter, body="Which trees?")
        assert not Notice.objects.filter(kind=Notice.Kind.REPLY).exists()  # a comment is not a reply
        comment_post(proposal=self.proposal, author=self.author, body="Plane trees.", parent_id=first.pk)
        told = sorted(Notice.objects.filter(kind=Notice.Kind.REPLY).values_list("user__username", flat=True))
        assert told == ["commenter", "follower"]

    def test_a_phase_opening_is_told_to_the_process_followers_once(self):
        follow_start(user=self.other, process=self.process)
        assert phases_announce() == 1 and phases_announce() == 0
        notice = Notice.objects.get(kind=Notice.Kind.PHASE)
        assert notice.user == self.other and "Proposals" in notice.text_en and "Προτάσεις" in notice.text_el

    def test_a_phase_that_opened_days_ago_is_not_announced(self):
        Phase.objects.filter(process=self.process).exclude(kind="proposals").delete()
        Phase.objects.filter(process=self.process, kind="proposals").update(
            starts_at=timezone.now() - timedelta(days=5), ends_at=timezone.now() + timedelta(days=1))
        follow_start(user=self.other, process=self.process)
        assert phases_announce() == 0

    def test_a_daily_digest_holds_the_days_notices_in_one_email_once(self):
        notice_settings_set(user=self.follower, daily_digest=True)
        self.answer()
        proposal_answer(proposal=self.proposal, staff=self.staff, to_state="evaluated", cost_estimate=9000,
                        feasibility="Feasible.")
        assert not NoticeEmail.objects.filter(user=self.follower).exists()
        assert digests_write() == 1 and digests_write() == 0
        notices_send()
        digest = [m for m in mail.outbox if m.to == ["follower@example.org"]]
        assert len(digest) == 1 and "(2)" in digest[0].subject and digest[0].body.count("Shade trees") >= 2

    def test_email_off_keeps_the_notice_on_the_page_and_sends_nothing(self):
        notice_settings_set(user=self.follower, daily_digest=False, email=False)
        self.answer()
        assert Notice.objects.filter(user=self.follower).exists()
        assert not NoticeEmail.objects.filter(user=self.follower).exists()

    def test_one_click_unsubscribe_stops_the_follow_and_its_emails(self):
        self.answer()
        email = NoticeEmail.objects.get(user=self.follower)
        path = email.unsubscribe_url.split("://", 1)[1].split("/", 1)[1]
        assert Client().get("/" + path).status_code == 200 and Follow.objects.filter(user=self.follower).exists()
        response = Client(enforce_csrf_checks=True).post("/" + path, {"List-Unsubscribe": "One-Click"})
        assert response.status_code == 200 and not Follow.objects.filter(user=self.follower).exists()
        proposal_answer(proposal=self.proposal, staff=self.staff, to_state="evaluated", cost_estimate=9000,
                        feasibility="Feasible.")
        assert NoticeEmail.objects.filter(user=self.follower).count() == 1

    def test_a_forged_unsubscribe_token_is_refused(self):
        token = unsubscribe_token(self.follower.pk, None)
        response = Client().post(f"/participation/unsubscribe/{token[:-2]}xx/", HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 400 and "not valid" in response.content.decode()

    def test_the_api_follows_and_lists_the_notices_as_the_page_does(self):
        client = Client()
        client.force_login(self.other)
        created = client.post(f"{API}/follows", {"proposal": self.proposal.pk}, content_type="application/json")
        assert created.status_code == 201, created.content
        self.answer()
        body = client.get(f"{API}/notifications").json()
        assert [n["kind"] for n in body["notices"]] == ["answer"] and body["daily_digest"] is False
        page = client.get("/participation/notifications/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert body["notices"][0]["text_en"].replace("“", "&ldquo;")[:10] in page or "Shade trees" in page
        assert client.delete(f"{API}/follows/{created.json()['id']}").status_code == 204
        assert client.delete(f"{API}/follows/{created.json()['id']}").status_code == 404

    def test_following_needs_an_account(self):
        response = Client().post(f"{API}/follows", {"proposal": self.proposal.pk}, content_type="application/json")
        assert response.status_code in (401, 403)

    def test_following_nothing_named_is_400(self):
        client = Client()
        client.force_login(self.other)
        response = client.post(f"{API}/follows", {}, content_type="application/json")
        assert response.status_code == 400 and response.json()["parameter"] == "process"
