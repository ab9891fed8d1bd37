"""Counters of requests per fixed window, and failed sign-ins, in the database every worker shares."""
from django.db import models


class RequestCount(models.Model):
    """Requests one client made in one window of a limit (scope)."""

    scope = models.CharField(max_length=50, help_text="Which limit: citizen-write, ...")
    key = models.CharField(max_length=200, help_text="Who: ip:<address> or user:<id>.")
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scope", "key", "window_start"], name="request_count_per_window")]
        indexes = [models.Index(fields=["window_start"], name="request_count_window")]

    def __str__(self) -> str:
        return f"{self.scope} {self.key} @ {self.window_start:%Y-%m-%d %H:%M}: {self.count}"


class LoginFailure(models.Model):
    """A failed sign-in (admin, any login form, any API sign-in that checks a password)."""

    username = models.CharField(max_length=150)
    ip = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            models.Index(fields=["username", "at"], name="login_failure_username"),
            models.Index(fields=["ip", "at"], name="login_failure_ip"),
        ]

    def __str__(self) -> str:
        return f"{self.username} from {self.ip} at {self.at:%Y-%m-%d %H:%M:%S}"
