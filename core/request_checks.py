"""Requests whose path or query holds a NUL character are refused with a 400 before any view runs:
PostgreSQL cannot store or compare such text, and no real client sends it."""
from django.http import HttpResponseBadRequest

from .errors import api_error

MESSAGE = "the path or a query parameter holds a NUL character (%00); remove it"


class RejectNulCharactersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or any("\x00" in key or any("\x00" in v for v in values)
                                         for key, values in request.GET.lists()):
            return api_error(request, 400, MESSAGE) or HttpResponseBadRequest(MESSAGE)
        return self.get_response(request)
