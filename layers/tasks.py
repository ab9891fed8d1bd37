"""The layers' background jobs: writing a download file (GeoPackage, CSV, zipped Shapefile) of a layer's
current data. Requests queue it and never write; one job waits per layer and format at a time, so a burst
of changes (or of requests) writes one file, for the data as it is when the job runs."""
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone
from procrastinate.contrib.django import app

from core.jobs import RETRY, defer_once

from . import registry
from .downloads import FORMATS, download_write


def coalescing_key(collection_id: str, format_name: str) -> str:
    return f"layers-download:{collection_id}:{format_name}"


@app.task(name="layers.write_download", queue="downloads", retry=RETRY)
def write_download(*, collection_id: str, format_name: str) -> dict:
    path, data, written = download_write(collection=registry.get(collection_id), download=FORMATS[format_name])
    return {"file": path.name, "version": data.key, "written": written, "bytes": path.stat().st_size}


def download_prepare(*, collection_id: str, format_name: str, last_written: datetime | None = None,
                     last_write_seconds: float = 0.0) -> int | None:
    """Queue the writing of this download's current file, unless a job for it is waiting already (its id, or None).
    The job's lock keeps to one writer per layer and format; a job queued while another writes runs next. With
    the time the newest file was written, the job waits until the refresh pace allows: a layer that changes all
    the time (new reports every second) gets a new file at that pace, not one after another. The pace is
    DOWNLOAD_REFRESH_SECONDS, or DOWNLOAD_REFRESH_WORK_FACTOR times as long as the last file took to write when
    that is longer, so a large file keeps the worker busy for at most about 1 / factor of its time
    (the GeoPackage of a million reports, about a minute to write: a new one every few minutes)."""
    key = coalescing_key(collection_id, format_name)
    options = {}
    if last_written is not None and settings.DOWNLOAD_REFRESH_SECONDS:
        pause = max(settings.DOWNLOAD_REFRESH_SECONDS, settings.DOWNLOAD_REFRESH_WORK_FACTOR * last_write_seconds)
        options["schedule_at"] = max(timezone.now(), last_written + timedelta(seconds=pause))
    return defer_once(write_download, coalesce=key, lock=key, options=options,
                      collection_id=collection_id, format_name=format_name)
