"""Refusals of participation writes: each carries the HTTP status the API answers and a message saying what to do."""


class ParticipationError(Exception):
    status = 400

    def __init__(self, message: str, **extra):
        super().__init__(message)
        self.message = message
        self.extra = extra


class InvalidInput(ParticipationError):
    """400: the input is wrong; the message names the field and what to fix."""


class NotVerified(ParticipationError):
    """403: the action needs a verified residence or a confirmed e-mail; the message says how to verify."""

    status = 403


class NotAllowed(ParticipationError):
    """403: this account may not do this (not the author, not staff)."""

    status = 403


class PhaseClosed(ParticipationError):
    """409: the action is not open in the process's current phase; extra holds the phase's dates."""

    status = 409


class Conflict(ParticipationError):
    """409: the state of things does not allow it (already supported, cap reached, wrong state)."""

    status = 409


class NotFound(ParticipationError):
    status = 404
