"""A test client that downloads as a patient client does: a file download answered 503 (its file is being
written), or with an older file while a newer one is written (X-Newer-Version), is asked for again after
the queued jobs have run, through the real queue tables. Tests of those answers use a plain Client."""
from django.test import Client

from core.jobs import run_due_jobs_here


class PatientClient(Client):
    def get(self, path, *args, **kwargs):
        response = super().get(path, *args, **kwargs)
        waiting = response.status_code == 503 and response.has_header("Retry-After") or response.has_header("X-Newer-Version")
        if "/download/" in path and waiting:
            assert ("layers.write_download", "succeeded") in run_due_jobs_here(queues=["downloads"])
            response = super().get(path, *args, **kwargs)
        return response
