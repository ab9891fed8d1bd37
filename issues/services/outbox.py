"""The e-mail outbox: notifications queued with each write, sent later with retries."""
from core.outbox import OutboxReport, message_id, outbox_send

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


def notifications_send(*, limit: int = 100, now=None) -> OutboxReport:
    """Send due e-mails from the reports' outbox, each once (core.outbox: one row locked at a time, retried with a
    back-off, the same Message-ID on every attempt)."""
    from django.conf import settings
    from django.core.mail import EmailMessage

    def message(notification: Notification) -> EmailMessage:
        return EmailMessage(notification.subject, notification.body, settings.DEFAULT_FROM_EMAIL,
                            [notification.recipient], headers={"Message-ID": notification_message_id(notification)})

    return outbox_send(Notification, message, limit=limit)


def notification_message_id(notification: Notification) -> str:
    """The same Message-ID every time one notification is sent."""
    return message_id("notification", notification)
