"""Following and notices: participants follow a process, a proposal or a project; `announce` tells the followers
(and anyone named, as an invitee) of an answer, a change of state, an invitation, a phase opening, a milestone or a
reply. Each notice is listed on the participant's notifications page and e-mailed through participation's outbox
(written in the caller's transaction, sent once by the job queue), at once or in the day's digest, each e-mail with
a signed one-click unsubscribe (RFC 8058)."""
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.jobs import defer_once_on_commit
from core.outbox import OutboxReport, message_id, outbox_send

from ..errors import InvalidInput, NotFound
from ..models import (
    Follow, Notice, NoticeEmail, NoticeSettings, Phase, PhaseAnnouncement, Process, Project, Proposal, Verification,
)
from ..errors import NotVerified

UNSUBSCRIBE_SALT = "participation.unsubscribe"
OUTBOX = "participation-notices"
# a phase that opened longer ago than this is not announced any more (the worker was away for days)
PHASE_ANNOUNCE_WINDOW = timedelta(days=2)


def both_languages(message: str, **values) -> tuple[str, str]:
    """(English, Greek) of a translatable message with its values (lazy labels are read in each language)."""
    texts = []
    for language in ("en", "el"):
        with translation.override(language):
            texts.append(_(message) % {name: str(value) for name, value in values.items()})
    return texts[0], texts[1]


def _require_account(user) -> None:
    if user is None or not user.is_authenticated:
        raise NotVerified(_("following needs an account: sign in first"), missing=["account"])


# --- following -------------------------------------------------------------------------------------------------

def follow_start(*, user, process: Process | None = None, proposal: Proposal | None = None,
                 project: Project | None = None) -> Follow:
    """Follow one thing (the same follow again is the one already there)."""
    _require_account(user)
    targets = {"process": process, "proposal": proposal, "project": project}
    named = {name: target for name, target in targets.items() if target is not None}
    if len(named) != 1:
        raise InvalidInput(_("name exactly one of process, proposal or project to follow"), parameter="process")
    existing = Follow.objects.filter(user=user, **named).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return Follow.objects.create(user=user, **named)
    except IntegrityError:  # the same follow written by a concurrent request
        return Follow.objects.get(user=user, **named)


def follow_stop(*, user, follow_id: int) -> None:
    _require_account(user)
    deleted, _counts = Follow.objects.filter(pk=follow_id, user=user).delete()
    if not deleted:
        raise NotFound(_("you follow nothing with id %(id)s") % {"id": follow_id})


def notice_settings_set(*, user, daily_digest: bool, email: bool = True) -> NoticeSettings:
    """E-mail each notice at once, or the day's notices in one digest; email=False: no e-mail at all."""
    _require_account(user)
    found, _created = NoticeSettings.objects.update_or_create(
        user=user, defaults={"daily_digest": daily_digest, "email_off": not email})
    return found


# --- announcing ------------------------------------------------------------------------------------------------

def _followers(*, process, proposal, project) -> list[Follow]:
    """The follows that concern the thing, the most specific first (a project, its proposal, its process)."""
    if project is not None:
        proposal = proposal or project.proposal
        process = process or project.budget.process
    if proposal is not None:
        process = process or proposal.process
    follows = []
    for name, target in (("project", project), ("proposal", proposal), ("process", process)):
        if target is not None:
            follows += list(Follow.objects.filter(**{name: target}).select_related("user").order_by("id"))
    return follows


def _addresses(users: Iterable) -> dict[int, str]:
    """The address each participant is e-mailed at: the confirmed one of their verification, else their account's."""
    users = list(users)
    confirmed = dict(Verification.objects.filter(user__in=users, email_confirmed_at__isnull=False)
                     .exclude(email="").values_list("user_id", "email"))
    return {user.pk: confirmed.get(user.pk) or user.email for user in users if confirmed.get(user.pk) or user.email}


def unsubscribe_token(user_id: int, follow_id: int | None) -> str:
    """A signed token: unfollow that follow, or (None) stop every e-mail."""
    return signing.dumps({"u": user_id, "f": follow_id or 0}, salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_url(user_id: int, follow_id: int | None) -> str:
    path = reverse("participation-page-unsubscribe", kwargs={"token": unsubscribe_token(user_id, follow_id)})
    return settings.PARTICIPATION_PUBLIC_URL.rstrip("/") + path


def _email_body(lines: list[tuple[str, str, str]], unsubscribe: str) -> str:
    """Greek first, then English, each notice with its link; the unsubscribe link last."""
    base = settings.PARTICIPATION_PUBLIC_URL.rstrip("/")
    greek = "\n\n".join(f"{el}\n{base}{url}" for _en, el, url in lines)
    english = "\n\n".join(f"{en}\n{base}{url}" for en, _el, url in lines)
    return (f"{greek}\n\n---\n\n{english}\n\n---\n"
            f"Διακοπή αυτών των μηνυμάτων / Stop these e-mails: {unsubscribe}\n")


def announce(*, kind: str, text_en: str, text_el: str, url: str, process: Process | None = None,
             proposal: Proposal | None = None, project: Project | None = None, to: Iterable = (),
             actor=None) -> list[Notice]:
    """Tell the followers of the thing (a project's, its proposal's and its process's followers; a proposal's and its
    process's) and the participants in `to` (an invitee, the author of the comment replied to) of one event, once each
    and never its actor: a notice on their page, and an e-mail in the outbox (at once, or kept for the day's digest;
    none for those who turned e-mail off). Runs in the caller's transaction: the notices exist exactly when the event
    does. The sending job is woken after the commit."""
    if kind not in Notice.Kind.values:
        raise ValueError(f"kind must be one of {', '.join(Notice.Kind.values)}, got {kind!r}")
    chosen: dict[int, tuple] = {}
    for user in to:
        if user is not None:
            chosen.setdefault(user.pk, (user, None))
    for follow in _followers(process=process, proposal=proposal, project=project):
        chosen.setdefault(follow.user_id, (follow.user, follow))
    if actor is not None:
        chosen.pop(getattr(actor, "pk", None), None)
    if not chosen:
        return []
    users = [user for user, _follow in chosen.values()]
    prefs = {s.user_id: s for s in NoticeSettings.objects.filter(user__in=users)}
    addresses = _addresses(users)
    subject = f"{text_el[:140]} / {text_en[:140]}"
    notices, emailed = [], False
    for user, follow in chosen.values():
        pref = prefs.get(user.pk)
        address = None if pref is not None and pref.email_off else addresses.get(user.pk)
        digest = bool(address and pref is not None and pref.daily_digest)
        email = None
        if address and not digest:
            unsubscribe = unsubscribe_url(user.pk, follow.pk if follow else None)
            email = NoticeEmail.objects.create(
                user=user, recipient=address, subject=subject, unsubscribe_url=unsubscribe,
                body=_email_body([(text_en, text_el, url)], unsubscribe))
            emailed = True
        notices.append(Notice(user=user, kind=kind, text_en=text_en[:500], text_el=text_el[:500], url=url,
                              follow=follow, email=email, digest=digest))
    Notice.objects.bulk_create(notices)
    if emailed:
        notices_wake()
    return notices


# --- the events that announce ----------------------------------------------------------------------------------

def _proposal_url(proposal: Proposal) -> str:
    return reverse("participation-page-proposal", kwargs={"proposal_id": proposal.pk})


def announce_state(*, proposal: Proposal, before: str, actor=None, reason: str = "", answer: bool = False) -> None:
    """A proposal's new state (the city's answer when `answer`), to its and its process's followers."""
    state = Proposal.State(proposal.state).label
    if answer:
        en, el = both_languages("The city answered “%(title)s”: %(state)s. %(reason)s", title=proposal.title,
                                state=state, reason=reason)
    else:
        en, el = both_languages("“%(title)s” is now: %(state)s.", title=proposal.title, state=state)
    announce(kind=Notice.Kind.ANSWER if answer else Notice.Kind.STATE, text_en=en.strip(), text_el=el.strip(),
             url=_proposal_url(proposal), proposal=proposal, actor=actor)


def announce_invitation(*, proposal: Proposal, invitee, inviter) -> None:
    en, el = both_languages("You are invited to co-author “%(title)s”.", title=proposal.title)
    announce(kind=Notice.Kind.INVITATION, text_en=en, text_el=el, url=_proposal_url(proposal), to=[invitee],
             actor=inviter)


def announce_reply(*, proposal: Proposal, parent, author) -> None:
    """A reply: to the author of the comment replied to, and to the proposal's followers."""
    en, el = both_languages("A new reply in the comments of “%(title)s”.", title=proposal.title)
    announce(kind=Notice.Kind.REPLY, text_en=en, text_el=el, url=_proposal_url(proposal), proposal=proposal,
             to=[parent.author], actor=author)


def announce_milestone(*, implementation, milestone, actor=None) -> None:
    """A new milestone of a project's implementation, to the followers of the project, its proposal and its process."""
    title = {"en": implementation.title_en or implementation.title_el, "el": implementation.title_el or implementation.title_en}
    text = {"en": milestone.text_en or milestone.text_el, "el": milestone.text_el or milestone.text_en}
    message = "“%(title)s”: a new milestone on %(date)s: %(text)s"
    en = both_languages(message, title=title["en"], date=milestone.on.isoformat(), text=text["en"][:300])[0]
    el = both_languages(message, title=title["el"], date=milestone.on.isoformat(), text=text["el"][:300])[1]
    announce(kind=Notice.Kind.MILESTONE, text_en=en, text_el=el, actor=actor,
             url=reverse("participation-page-project", kwargs={"implementation_id": implementation.pk}),
             project=implementation.project, proposal=implementation.proposal, process=implementation.process)


def phases_announce(*, now=None) -> int:
    """Tell each process's followers of a phase that has opened (once per phase, within PHASE_ANNOUNCE_WINDOW)."""
    now = now or timezone.now()
    opened = (Phase.objects.filter(starts_at__lte=now, ends_at__gt=now, starts_at__gt=now - PHASE_ANNOUNCE_WINDOW,
                                   process__published=True, announcement__isnull=True)
              .select_related("process"))
    told = 0
    for phase in opened:
        with transaction.atomic():
            _announcement, created = PhaseAnnouncement.objects.get_or_create(phase=phase)
            if not created:
                continue
            process = phase.process
            message, label = "“%(process)s”: the phase “%(phase)s” is open.", Phase.Kind(phase.kind).label
            en = both_languages(message, process=process.title_en, phase=label)[0]
            el = both_languages(message, process=process.title_el, phase=label)[1]
            announce(kind=Notice.Kind.PHASE, text_en=en, text_el=el, process=process,
                     url=reverse("participation-page-process", kwargs={"slug": process.slug}))
            told += 1
    return told


# --- e-mail: the digest, the sending, unsubscribing ------------------------------------------------------------

def digests_write(*, limit: int = 1000) -> int:
    """Each participant's waiting notices in one digest e-mail; a notice leaves the wait in the transaction that
    writes its e-mail, so it is in exactly one digest."""
    written = 0
    user_ids = list(Notice.objects.filter(digest=True).values_list("user_id", flat=True).distinct()[:limit])
    for user in get_user_model().objects.filter(pk__in=user_ids):
        with transaction.atomic():
            waiting = list(Notice.objects.select_for_update(skip_locked=True).filter(user=user, digest=True)
                           .order_by("created_at", "id"))
            address = _addresses([user]).get(user.pk)
            if not waiting or not address:
                continue
            unsubscribe = unsubscribe_url(user.pk, None)
            email = NoticeEmail.objects.create(
                user=user, recipient=address, unsubscribe_url=unsubscribe,
                subject=f"Τα νέα της ημέρας ({len(waiting)}) / The day's news ({len(waiting)})",
                body=_email_body([(n.text_en, n.text_el, n.url) for n in waiting], unsubscribe))
            Notice.objects.filter(pk__in=[n.pk for n in waiting]).update(email=email, digest=False)
            written += 1
    if written:
        notices_wake()
    return written


def notice_message(email: NoticeEmail) -> EmailMessage:
    """The e-mail with its Message-ID (the same on every attempt) and the one-click unsubscribe of RFC 8058."""
    return EmailMessage(email.subject, email.body, settings.DEFAULT_FROM_EMAIL, [email.recipient], headers={
        "Message-ID": message_id("participation-notice", email),
        "List-Unsubscribe": f"<{email.unsubscribe_url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    })


def notices_send(*, limit: int = 100) -> OutboxReport:
    """Send the due e-mails of participation's outbox, each once (core.outbox)."""
    return outbox_send(NoticeEmail, notice_message, limit=limit)


def notices_wake() -> None:
    """The job worker sends the new e-mails soon after this transaction commits (participation/tasks.py)."""
    from ..tasks import send_notices

    defer_once_on_commit(send_notices, coalesce=OUTBOX)


def unsubscribe(*, token: str) -> str:
    """Act on a signed unsubscribe token: stop following (`unfollowed`), or stop every e-mail (`email_off`). A token
    already used does nothing more and says the same."""
    try:
        value = signing.loads(token, salt=UNSUBSCRIBE_SALT)
        user_id, follow_id = int(value["u"]), int(value["f"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise InvalidInput(_("this unsubscribe link is not valid; open the notifications page to choose what you "
                             "receive"), parameter="token") from None
    if follow_id:
        Follow.objects.filter(pk=follow_id, user_id=user_id).delete()
        return "unfollowed"
    if get_user_model().objects.filter(pk=user_id).exists():
        NoticeSettings.objects.update_or_create(user_id=user_id, defaults={"email_off": True})
    return "email_off"
