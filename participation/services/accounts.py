"""Residents' accounts for taking part: registration with Django's password rules (staff accounts are made by
administrators, or come from the city's directory)."""
from django.utils.translation import gettext as _
from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from participation.errors import InvalidInput

USERNAME_MAX = 150


def account_register(*, username: str, email: str, password: str):
    """A new resident's account; InvalidInput naming the field when the name is taken or the password is weak."""
    username = (username or "").strip()
    email = (email or "").strip()
    if not username or len(username) > USERNAME_MAX:
        raise InvalidInput(_("from 1 to %(limit)d characters") % {"limit": USERNAME_MAX}, parameter="username")
    if email and ("@" not in email or len(email) > 254):
        raise InvalidInput(_("is not an e-mail address"), parameter="email")
    user_model = get_user_model()
    candidate = user_model(username=username, email=email)
    try:
        password_validation.validate_password(password, candidate)
    except ValidationError as exc:
        raise InvalidInput(" ".join(exc.messages), parameter="password") from None
    if user_model.objects.filter(username__iexact=username).exists():
        raise InvalidInput(_("is taken; choose another"), parameter="username", code="taken")
    try:
        with transaction.atomic():
            return user_model.objects.create_user(username=username, email=email, password=password)
    except IntegrityError:
        raise InvalidInput(_("is taken; choose another"), parameter="username", code="taken") from None
