"""Participation's background jobs: sending the notices' e-mails (every minute, and soon after each new one), the
daily digest, telling followers of a phase that has opened, and opening the sealed ballots of a closed vote."""
from django.conf import settings
from procrastinate.contrib.django import app

from core.jobs import RETRY

NOTICES = "participation-notices"


@app.periodic(cron=settings.OUTBOX_CRON, periodic_id="participation-notices")
@app.task(name="participation.send_notices", queue="mail", queueing_lock=NOTICES, retry=RETRY, pass_context=False)
def send_notices(timestamp: int | None = None) -> dict:
    """Send the due e-mails of participation's outbox (each e-mail's attempts and back-off are on its row)."""
    from .services.notifications import notices_send

    report = notices_send(limit=500)
    return {"sent": report.sent, "retried": report.retried, "given_up": report.given_up}


@app.periodic(cron=settings.PARTICIPATION_DIGEST_CRON, periodic_id="participation-digests")
@app.task(name="participation.write_digests", queue="mail", lock="participation-digests", retry=RETRY,
          pass_context=False)
def write_digests(timestamp: int | None = None) -> dict:
    """Once a day: each participant who asked for a digest gets the day's notices in one e-mail."""
    from .services.notifications import digests_write

    return {"digests": digests_write()}


@app.periodic(cron=settings.PARTICIPATION_PHASES_CRON, periodic_id="participation-phases")
@app.task(name="participation.announce_phases", queue="mail", lock="participation-phases", retry=RETRY,
          pass_context=False)
def announce_phases(timestamp: int | None = None) -> dict:
    """Tell the followers of each process whose phase has just opened."""
    from .services.notifications import phases_announce

    return {"phases": phases_announce()}


@app.periodic(cron=settings.PARTICIPATION_COUNT_CRON, periodic_id="participation-count")
@app.task(name="participation.open_ballots", queue="bulk", lock="participation-count", retry=RETRY, pass_context=False)
def open_ballots(timestamp: int | None = None) -> dict:
    """Open the sealed ballots of every budget whose vote has closed, in shuffled batches."""
    from .services.budgets import ballots_counted_everywhere

    return {"opened": ballots_counted_everywhere()}
