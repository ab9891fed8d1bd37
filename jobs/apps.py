"""Background jobs on PostgreSQL (procrastinate): the queue every app defers its long work to."""
from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "jobs"
    verbose_name = "Background jobs"
