"""The reports' background jobs: sending the e-mail outbox (every minute, and soon after each new
e-mail) and bulk re-routing."""
from django.conf import settings
from procrastinate.contrib.django import app

from core.jobs import RETRY, defer_once_on_commit

OUTBOX = "issues-outbox"


@app.periodic(cron=settings.OUTBOX_CRON, periodic_id="outbox")
@app.task(name="issues.send_outbox", queue="mail", queueing_lock=OUTBOX, retry=RETRY, pass_context=False)
def send_outbox(timestamp: int | None = None) -> dict:
    """Send the due e-mails (new ones, and earlier failures whose back-off has passed). Each e-mail's own
    attempts and back-off are kept on its row (notifications_send); a failure of the run itself (the
    database gone) fails the job, which the queue tries again."""
    from .services.outbox import notifications_send

    report = notifications_send(limit=500)
    return {"sent": report.sent, "retried": report.retried, "given_up": report.given_up}


def outbox_wake() -> None:
    """Queue a run of the outbox after this transaction commits (one waiting run serves any number of e-mails)."""
    defer_once_on_commit(send_outbox, coalesce=OUTBOX)


@app.task(name="issues.reroute", queue="bulk", lock="issues-reroute", retry=RETRY)
def reroute(*, actor: str, include_closed: bool = False) -> dict:
    """Re-route reports after a boundary or rule change (one statement; one re-route at a time)."""
    from .services.reroute import issues_reroute

    report = issues_reroute(actor=actor, include_closed=include_closed, commit=True)
    return {"examined": report.examined, "moved": report.moved, "summary": report.summary()}
