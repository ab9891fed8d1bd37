"""The REST API's exception handler: a ServiceError as {"detail", "code", "parameter", extra fields} with its
status; DRF's own exceptions in the same shape, their `code` from DRF ("not_authenticated", "throttled" ...).
Views let errors through; anything else is a 500."""
from rest_framework import serializers
from rest_framework.exceptions import ErrorDetail
from rest_framework.views import exception_handler as drf_exception_handler

from .errors import STATUS_CODES, ServiceError, rest_error


def exception_handler(exc, context):
    if isinstance(exc, ServiceError):
        return rest_error(context.get("request"), exc)
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(response.data, dict) and "detail" in response.data:
        detail = response.data["detail"]
        code = detail.code if isinstance(detail, ErrorDetail) else None
        response.data.setdefault("code", code or STATUS_CODES.get(response.status_code, "error"))
    return response


class ErrorSerializer(serializers.Serializer):
    """Every REST API error (core.errors.ServiceError); operations may add fields of their own."""

    detail = serializers.CharField(help_text='What is wrong and what to do, in the request\'s language (Accept-Language; '
                                             'English without one); "<parameter>: <message>" when one field is at fault.')
    code = serializers.CharField(help_text="A stable machine code that never changes with the wording, e.g. invalid, "
                                           "required, not_found, not_allowed, not_authenticated, conflict, stale_version, "
                                           "transition_not_allowed, out_of_area, phase_closed, not_verified, throttled.")
    parameter = serializers.CharField(required=False, help_text="The request parameter or body field at fault, when one is.")
    message = serializers.CharField(required=False, help_text="With `parameter`: the message without the parameter's "
                                                              "name, to show next to the field.")
