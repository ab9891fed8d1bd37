"""The job queue's plumbing: the retry policy, deferring a job once per coalescing key, and running the
jobs due now in this thread (the tests, inside their transaction).

The queue is procrastinate's: jobs are rows in PostgreSQL (procrastinate_jobs), taken by workers with
SELECT ... FOR UPDATE SKIP LOCKED and woken by LISTEN/NOTIFY; failed jobs, their attempts and events are
listed in the Django admin (Procrastinate > Jobs). Why procrastinate: docs/JOBS.md.
"""
import json
import logging

from django.db import transaction
from procrastinate import RetryStrategy
from procrastinate.contrib.django import app
from procrastinate.exceptions import AlreadyEnqueued

logger = logging.getLogger(__name__)

# A failed job is tried again after 2, 4, 8 and 16 s (five tries in all), then stays failed (and visible).
RETRY = RetryStrategy(max_attempts=4, exponential_wait=2)


def defer_once(task, *, coalesce: str, lock: str | None = None, options: dict | None = None, **arguments) -> int | None:
    """Queue task(**arguments) unless a job with the same coalescing key is already waiting: a burst of
    requests (or of changes) then makes one job, which does the work for the state it finds when it runs.
    A lock, when given, keeps jobs with the same lock from running at the same time; options are procrastinate's
    (schedule_at, priority ...). Returns the new job's id, or None when one was waiting already."""
    from procrastinate.contrib.django.models import ProcrastinateJob

    if ProcrastinateJob.objects.filter(queueing_lock=coalesce, status="todo").exists():
        return None  # the common case under a burst, read from the queueing lock's own index without a refused insert
    options = {"queueing_lock": coalesce} | ({"lock": lock} if lock else {}) | (options or {})
    try:
        with transaction.atomic():  # inside a caller's transaction, a refused insert must not abort it
            return task.configure(**options).defer(**arguments)
    except AlreadyEnqueued:
        return None


def defer_once_on_commit(task, *, coalesce: str, **arguments) -> None:
    """defer_once after the current transaction commits (at once outside a transaction): the job never
    runs before the rows it works on are visible, and two writers never wait on each other's queueing lock."""
    transaction.on_commit(lambda: _defer_logged(task, coalesce, arguments))


def _defer_logged(task, coalesce: str, arguments: dict) -> None:
    try:
        defer_once(task, coalesce=coalesce, **arguments)
    except Exception:  # the periodic job picks the work up: a request never fails for its follow-up job
        logger.exception("could not queue %s (%s); the periodic run will do it", task.name, coalesce)


def run_due_jobs_here(*, queues: list[str] | None = None, limit: int = 100) -> list[tuple[str, str]]:
    """Take the jobs due now from the queue and run them one after another in this thread, on this thread's
    database connection (so inside the caller's transaction, as a test's), with the tasks' retry policy;
    [(task name, "succeeded" | "retry" | "failed")]. The worker does the same with concurrency and LISTEN."""
    from asgiref.sync import async_to_sync
    from procrastinate.jobs import Status

    manager = app.job_manager
    outcomes = []
    worker_id = async_to_sync(manager.register_worker)()
    try:
        for _ in range(limit):
            job = async_to_sync(manager.fetch_job)(queues=queues, worker_id=worker_id)
            if job is None:
                break
            if isinstance(job.task_kwargs, str):  # Django's connection hands jsonb over as text
                job = job.evolve(task_kwargs=json.loads(job.task_kwargs))
            task = app.tasks[job.task_name]
            try:
                with transaction.atomic():  # a failing job leaves nothing half-written, as in its own connection
                    task(**job.task_kwargs)
            except Exception as exc:
                logger.warning("job %s failed: %s: %s", job.call_string, exc.__class__.__name__, exc)
                retry = task.get_retry_exception(exception=exc, job=job)
                if retry is not None:
                    decision = retry.retry_decision
                    async_to_sync(manager.retry_job)(job=job, retry_at=decision.retry_at, lock=decision.lock,
                                                     priority=decision.priority, queue=decision.queue)
                    outcomes.append((job.task_name, "retry"))
                else:
                    async_to_sync(manager.finish_job)(job=job, status=Status.FAILED, delete_job=False)
                    outcomes.append((job.task_name, "failed"))
            else:
                async_to_sync(manager.finish_job)(job=job, status=Status.SUCCEEDED, delete_job=False)
                outcomes.append((job.task_name, "succeeded"))
    finally:
        async_to_sync(manager.unregister_worker)(worker_id=worker_id)
    return outcomes
