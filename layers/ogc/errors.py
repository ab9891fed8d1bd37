"""The OGC API's refusals: OgcError (a core.errors.ServiceError) and the OGC exception shape {code, description}."""
from django.http import JsonResponse

from core.errors import STATUS_CODES, ServiceError, with_retry_after

OGC_CODES = {400: "InvalidParameterValue", 403: "Forbidden", 404: "NotFound", 405: "MethodNotAllowed",
             503: "ServiceUnavailable"}


class OgcError(ServiceError):
    """A refusal made by the OGC API views themselves, with the OGC exception code (`ogc_code`)."""

    def __init__(self, status: int, ogc_code: str, description: str, *, parameter: str | None = None):
        super().__init__(description, status=status, parameter=parameter, code=STATUS_CODES.get(status, "invalid"))
        self.ogc_code = ogc_code


def ogc_error_shape(request, error: ServiceError) -> JsonResponse:
    """The OGC API's exception {code, description}, `code` the OGC exception code; the stable code as
    `error_code` and the field at fault as `parameter` (every core.errors.ServiceError, in or outside the views)."""
    body = {"code": getattr(error, "ogc_code", None) or OGC_CODES.get(error.status, "ServerError"),
            "description": str(error), "error_code": error.code, **error.fields()}
    return with_retry_after(JsonResponse(body, status=error.status), error)


def bad(description: str, *, parameter: str | None = None) -> OgcError:
    """A 400 InvalidParameterValue naming the parameter at fault."""
    return OgcError(400, "InvalidParameterValue", description, parameter=parameter)
