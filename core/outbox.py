"""Sending an e-mail outbox: rows written in the same transaction as the change they tell of, sent later by a job,
each exactly once. Any model with `attempts`, `next_attempt_at`, `last_error`, `sent_at` and `failed` is an outbox
(the reports' notifications, participation's notices); each app says how a row becomes a message."""
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Model, Q
from django.utils import timezone


@dataclass
class OutboxReport:
    sent: int = 0
    retried: int = 0
    given_up: int = 0


def outbox_send(model: type[Model], message_of: Callable[[Model], EmailMessage], *, limit: int = 100) -> OutboxReport:
    """Send due rows of the outbox `model`, one row locked at a time (FOR UPDATE SKIP LOCKED), so no two senders send
    the same one; the row is marked sent in the transaction that held its lock.

    A failure is retried later (1, 2, 4 ... minutes) up to NOTIFICATION_MAX_ATTEMPTS, then given up. The mail server
    accepts a message before its row is marked sent: if the database is lost between the two, that message goes again
    on the next run, with the same Message-ID (message_of's), so the receiving side can tell it is the same e-mail.
    """
    report = OutboxReport()
    for _ in range(limit):
        now = timezone.now()
        with transaction.atomic():
            row = (model.objects.select_for_update(skip_locked=True)
                   .filter(sent_at__isnull=True, failed=False)
                   .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
                   .order_by("id").first())
            if row is None:
                break
            row.attempts += 1
            try:
                message_of(row).send()
            except Exception as exc:  # any transport error: keep it for a retry
                row.last_error = f"{exc.__class__.__name__}: {exc}"[:2000]
                if row.attempts >= settings.NOTIFICATION_MAX_ATTEMPTS:
                    row.failed = True
                    report.given_up += 1
                else:
                    row.next_attempt_at = now + timedelta(minutes=2 ** (row.attempts - 1))
                    report.retried += 1
            else:
                row.sent_at = now
                row.last_error = ""
                report.sent += 1
            row.save()
    return report


def message_id(kind: str, row: Model) -> str:
    """The same Message-ID every time one outbox row is sent."""
    domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip("> ") or "localhost"
    return f"<{kind}-{row.pk}.{int(row.created_at.timestamp())}@{domain}>"
