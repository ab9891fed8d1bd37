"""The refusals of a report, comment or support: ReportError (and an unknown service, a reused Idempotency-Key)."""
from core.errors import ServiceError


class ReportError(ServiceError):
    """A report, comment or support cannot be accepted; `parameter` names what to fix (400, or `status`)."""

    def __init__(self, parameter: str, message: str, *, code: str = "invalid", **extra):
        super().__init__(message, parameter=parameter, code=code, **extra)


class UnknownService(ReportError):
    """No category has the service code (404)."""

    status = 404

    def __init__(self, parameter: str, message: str):
        super().__init__(parameter, message, code="unknown_service")


class IdempotencyConflict(ServiceError):
    """An Idempotency-Key came back with a different request (409)."""

    status, code = 409, "idempotency_conflict"

    def __init__(self, message: str):
        super().__init__(message, parameter="Idempotency-Key")
