"""The admin's sign-in form, saying plainly when an account or address is locked out and for how long."""
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError

from .limits import client_ip
from .lockout import login_locked_for


class LockoutAdminAuthenticationForm(AdminAuthenticationForm):
    def clean(self):
        username = self.cleaned_data.get("username") or ""
        wait = login_locked_for(username, client_ip(self.request) if self.request is not None else None)
        if wait:
            minutes = max(1, round(wait / 60))
            raise ValidationError(
                f"Too many failed sign-ins: try again in {minutes} minute{'s' if minutes != 1 else ''}.", code="locked_out")
        return super().clean()
