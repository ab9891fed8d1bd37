"""Refusals of heritage writes: each names the field at fault and says what to send instead."""
from core.errors import ServiceError


class HeritageError(ServiceError):
    """A record was refused: `field` (the error's `parameter`) names what to fix, the message says how."""

    def __init__(self, field: str, message: str, *, code: str = "invalid"):
        super().__init__(message, parameter=field, code=code)
        self.field = field


class NotImplementedByService(ServiceError):
    """A valid IIIF request this level-0 service does not answer (a region or size it has not cut, a rotation)."""

    status, code = 501, "not_implemented"
