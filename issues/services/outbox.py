"""The e-mail outbox: notifications queued with each write, sent later with retries."""
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone


from ..models import (
    Issue, IssueUpdate, Notification,
)


def outbox_wake() -> None:
    """The job worker sends the new e-mails soon after this transaction commits (issues/tasks.py)."""
    from ..tasks import outbox_wake as wake

    wake()


def notify_department(issue: Issue) -> None:

    department = issue.department
    if not department.email:
        return
    outbox_wake()
    Notification.objects.create(
        kind=Notification.Kind.NEW_ISSUE,
        issue=issue,
        recipient=department.email,
        subject=f"[#{issue.pk}] New report: {issue.category.name_en} / {issue.category.name_el}",
        body=(
            f"A new report #{issue.pk} ({issue.category.name_en}) was routed to {department.name_en}.\n"
            f"Where: {issue.address or f'{issue.location.y:.6f}, {issue.location.x:.6f}'}"
            f" ({issue.district.name if issue.district else 'no district'})\n"
            f"Routing: {issue.routing_note}\n\n{issue.description}\n"
        ),
    )


def notify_reporter(issue: Issue, update: IssueUpdate) -> None:
    """Tell the reporter and the watchers of a public change, once each."""
    recipients = sorted(({issue.email} if issue.email else set()) | set(issue.watchers.values_list("email", flat=True)))
    if recipients:
        outbox_wake()
    status = (update.to_status or issue.status).replace("_", " ")
    Notification.objects.bulk_create([
        Notification(
            kind=Notification.Kind.STATUS_CHANGE,
            issue=issue,
            update=update,
            recipient=email,
            subject=f"[#{issue.pk}] Your report is now {status} / Η αναφορά σας",
            body=(
                f"Report #{issue.pk} ({issue.category.name_en} / {issue.category.name_el}) is now {status}.\n\n"
                f"{update.description}\n"
            ),
        )
        for email in recipients
    ])


@dataclass
class OutboxReport:
    sent: int = 0
    retried: int = 0
    given_up: int = 0


def notifications_send(*, limit: int = 100, now=None) -> OutboxReport:
    """Send due e-mails from the outbox, one row locked at a time, so no two senders send the same one.

    A failure is retried later (1, 2, 4 ... minutes) up to NOTIFICATION_MAX_ATTEMPTS, then given up.
    The mail server accepts a message before its row is marked sent: if the database is lost between the
    two, that message goes again on the next run, with the same Message-ID, so the receiving side can
    tell it is the same e-mail.
    """
    from django.conf import settings
    from django.core.mail import EmailMessage

    report = OutboxReport()
    for _ in range(limit):
        now = timezone.now()
        with transaction.atomic():
            notification = (
                Notification.objects.select_for_update(skip_locked=True)
                .filter(sent_at__isnull=True, failed=False)
                .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
                .order_by("id")
                .first()
            )
            if notification is None:
                break
            notification.attempts += 1
            try:
                EmailMessage(
                    notification.subject, notification.body, settings.DEFAULT_FROM_EMAIL, [notification.recipient],
                    headers={"Message-ID": notification_message_id(notification)},
                ).send()
            except Exception as exc:  # any transport error: keep it for a retry
                notification.last_error = f"{exc.__class__.__name__}: {exc}"[:2000]
                if notification.attempts >= settings.NOTIFICATION_MAX_ATTEMPTS:
                    notification.failed = True
                    report.given_up += 1
                else:
                    notification.next_attempt_at = now + timedelta(minutes=2 ** (notification.attempts - 1))
                    report.retried += 1
            else:
                notification.sent_at = now
                notification.last_error = ""
                report.sent += 1
            notification.save()
    return report


def notification_message_id(notification: Notification) -> str:
    """The same Message-ID every time one notification is sent."""
    from django.conf import settings

    domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip("> ") or "localhost"
    return f"<notification-{notification.pk}.{int(notification.created_at.timestamp())}@{domain}>"
