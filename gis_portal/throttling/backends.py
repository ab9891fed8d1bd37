"""The authentication backend: Django's, with the lock-out in front. Every sign-in that checks a password
goes through django.contrib.auth.authenticate and so through here: the admin, any login form, DRF."""
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

from issues.directory import DirectoryBackend

from .limits import client_ip
from .lockout import login_failure_record, login_locked_for, login_success_record


class LockoutModelBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(self._username_field())
        if username is None or password is None:
            return None
        ip = client_ip(request) if request is not None else None
        if login_locked_for(username, ip):
            raise PermissionDenied("too many failed sign-ins")  # stops every backend; the password is not checked
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            login_failure_record(username, ip)
        else:
            login_success_record(username)
        return user

    @staticmethod
    def _username_field() -> str:
        from django.contrib.auth import get_user_model

        return get_user_model().USERNAME_FIELD


class LockoutDirectoryBackend(DirectoryBackend):
    """The city's directory behind the same lock-out: a locked account or address is refused before the directory
    is asked. A failure is recorded once, by LockoutModelBackend, which follows this one."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not username or password is None:
            return None
        ip = client_ip(request) if request is not None else None
        if login_locked_for(username, ip):
            raise PermissionDenied("too many failed sign-ins")
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is not None:
            login_success_record(username)
        return user
