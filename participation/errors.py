"""Refusals of participation writes: core.errors.ServiceError with the HTTP status the API answers, a stable code
and a message saying what to do."""
from core.errors import Conflict as CoreConflict
from core.errors import NotAllowed as CoreNotAllowed
from core.errors import NotFound as CoreNotFound
from core.errors import ServiceError


class ParticipationError(ServiceError):
    """Any refusal of a participation write or read."""


class InvalidInput(ParticipationError):
    """400: the input is wrong; `parameter` names the field, the message what to fix."""


class NotVerified(ParticipationError):
    """403: the action needs a verified residence or a confirmed e-mail; the message says how to verify."""

    status, code = 403, "not_verified"


class NotAllowed(ParticipationError, CoreNotAllowed):
    """403: this account may not do this (not the author, not staff)."""


class PhaseClosed(ParticipationError):
    """409: the action is not open in the process's current phase; extra holds the phase's dates."""

    status, code = 409, "phase_closed"


class Conflict(ParticipationError, CoreConflict):
    """409: the state of things does not allow it (already supported, cap reached, wrong state)."""


class NotFound(ParticipationError, CoreNotFound):
    """404: no such process, proposal, budget or comment."""


class TooManyWrites(ParticipationError):
    """429: over the per-account (or per-address) limit of writes; Retry-After says when to retry."""

    status, code = 429, "throttled"
