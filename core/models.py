"""Counters of requests per fixed window, in the database every worker shares."""
from django.db import models


class RequestCount(models.Model):
    """Requests one client made in one window of a limit (scope)."""

    scope = models.CharField(max_length=50, help_text="Which limit: citizen-write, api-key, ...")
    key = models.CharField(max_length=200, help_text="Who: ip:<address>, user:<id> or the API key's id.")
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0, db_default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scope", "key", "window_start"], name="request_count_per_window")]
        indexes = [models.Index(fields=["window_start"], name="request_count_window")]

    def __str__(self) -> str:
        return f"{self.scope} {self.key} @ {self.window_start:%Y-%m-%d %H:%M}: {self.count}"
