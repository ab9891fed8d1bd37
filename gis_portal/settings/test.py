"""Test settings: the same PostGIS as development (pytest-django creates a test_ database there)."""
from .base import *  # noqa: F401,F403

DEBUG = False
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
LOGGING = {"version": 1, "disable_existing_loggers": False}
DEMO_ACCOUNTS = True
# A changed layer's download file is queued for writing at once (tests/core/test_jobs.py checks the pacing).
DOWNLOAD_REFRESH_SECONDS = 0
# The test client runs against the primary's test database only; the replica is exercised by
# tests/system/test_replica.py through a server of its own (tests/support/replica_server.py).
DATABASES.pop("replica", None)  # noqa: F405
