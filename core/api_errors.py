"""The REST API's exception handler: DRF's, plus a wrong request parameter (core.params.ParameterError) as 400
{"detail": "<parameter>: <what to send>"}, so views let the parsers' errors through."""
from rest_framework.exceptions import ValidationError
from rest_framework.views import exception_handler as drf_exception_handler

from .params import ParameterError


def exception_handler(exc, context):
    if isinstance(exc, ParameterError):
        exc = ValidationError({"detail": str(exc)})
    return drf_exception_handler(exc, context)
