"""What the database must hold after a run, read back through the ORM: every acknowledged report once, with
its photo on disk and its department's e-mail in the outbox once; after the outbox has run, every e-mail
marked sent and received by the mail server exactly once."""
import re
from collections import Counter, defaultdict
from pathlib import Path

from bench.reliability.stack import close_database, send_notifications
from bench.reliability.workload import TAG_PREFIX, Recorder

TAG = re.compile(r"\[(" + re.escape(TAG_PREFIX) + r"-[\w-]+)\]")


def check_reports(recorder: Recorder, run: str | None = None) -> tuple[list[str], dict]:
    from django.conf import settings

    from issues.models import Issue, Notification

    problems: list[str] = []
    stored: dict[str, list[int]] = defaultdict(list)
    rows = Issue.objects.filter(description__contains=_tag_start(run)).values_list(
        "pk", "description", "photo", "thumbnail", "department__email")
    expected_mail: dict[int, int] = {}
    missing_files = 0
    for pk, description, photo, thumbnail, email in rows:
        stored[TAG.search(description).group(1)].append(pk)
        expected_mail[pk] = 1 if email else 0
        for name in (photo, thumbnail):
            if name and not (Path(settings.MEDIA_ROOT) / name).is_file():
                missing_files += 1
                problems.append(f"report {pk}: its file {name} is missing")
    for tag, ids in stored.items():
        if len(ids) > 1:
            problems.append(f"{tag} is stored {len(ids)} times: {ids}")
    for tag, issue_id in recorder.acknowledged.items():
        if tag not in stored:
            problems.append(f"{tag} was acknowledged as report {issue_id} and is not in the database")
        elif stored[tag] != [issue_id]:
            problems.append(f"{tag} was acknowledged as report {issue_id} but the database holds {stored[tag]}")
    with_photo = set(Issue.objects.filter(pk__in=[recorder.acknowledged[t] for t in recorder.photo_tags if t in recorder.acknowledged])
                     .exclude(photo="").values_list("pk", flat=True))
    acknowledged_photos = [t for t in recorder.photo_tags if t in recorder.acknowledged]
    for tag in acknowledged_photos:
        if recorder.acknowledged[tag] not in with_photo:
            problems.append(f"{tag} was sent with a photo and report {recorder.acknowledged[tag]} has none")
    outbox = Counter(Notification.objects.filter(issue_id__in=list(expected_mail), kind=Notification.Kind.NEW_ISSUE)
                     .values_list("issue_id", flat=True))
    for pk, count in expected_mail.items():
        if outbox[pk] != count:
            problems.append(f"report {pk} has {outbox[pk]} e-mails to its department in the outbox, not {count}")
    figures = {
        "creates_attempted": len(recorder.attempted_tags),
        "acknowledged": len(recorder.acknowledged),
        "stored": len(stored),
        "stored_without_acknowledgement": len(set(stored) - set(recorder.acknowledged)),
        "acknowledged_with_photo": len(acknowledged_photos),
        "photo_files_missing": missing_files,
        "department_emails_in_outbox": sum(outbox.values()),
    }
    return problems, figures


def _tag_start(run: str | None) -> str:
    """What the descriptions of a run's reports contain (every run's when run is None)."""
    return f"[{TAG_PREFIX}-{run}-" if run else f"[{TAG_PREFIX}-"


def check_delivery(received: list[str], run: str | None = None) -> tuple[list[str], dict]:
    """Every notification in the outbox is marked sent, and the mail server got each Message-ID exactly once
    (with run: the notifications of that run's reports, on a database other runs share)."""
    from issues.models import Notification
    from issues.services.outbox import notification_message_id

    problems: list[str] = []
    counts = Counter(received)
    notifications = list(Notification.objects.all() if run is None else
                         Notification.objects.filter(issue__description__contains=_tag_start(run)))
    expected = set()
    for notification in notifications:
        message_id = notification_message_id(notification)
        expected.add(message_id)
        if notification.sent_at is None:
            problems.append(f"notification {notification.pk} is not marked sent ({notification.last_error or 'never tried'})")
        if counts[message_id] != 1:
            problems.append(f"notification {notification.pk} reached the mail server {counts[message_id]} times")
    unknown = sum(count for message_id, count in counts.items() if message_id not in expected)
    if unknown and run is None:
        problems.append(f"the mail server got {unknown} messages that are not in the outbox")
    figures = {"notifications": len(notifications), "messages_received": len(received),
               "distinct_message_ids": len(counts)}
    return problems, figures


def check_stored_then_delivered(recorder: Recorder, received, run: str | None = None) -> tuple[list[str], dict]:
    """check_reports, then the outbox command as cron runs it, then check_delivery of what the sink received."""
    problems, reports = check_reports(recorder, run)
    close_database()
    code, line = send_notifications()
    if code != 0:
        problems.append(f"the outbox command failed: {line}")
    delivery_problems, delivery = check_delivery(received(), run)
    return problems + delivery_problems, {"reports": reports, "outbox": {**delivery, "command": line}}


def verdict(name: str, problems: list[str], output: Path) -> int:
    """Print the problems and the verdict; the exit code (0 when none)."""
    for problem in problems[:50]:
        print("FAIL:", problem)
    if len(problems) > 50:
        print(f"FAIL: ... and {len(problems) - 50} more (all in {output})")
    print(f"{name}: " + ("FAILED" if problems else "passed") + f" (results in {output})")
    return 1 if problems else 0
