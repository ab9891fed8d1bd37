"""The language of the APIs' answers and messages: `lang=el|en` when the request names one, else the language
cookie or Accept-Language (as for pages), else English: a client that asks for nothing gets English, while a
page without the header is Greek."""
from django.conf import settings
from django.utils import translation

from .errors import is_api_path


def api_language(request) -> str | None:
    """The language an API request asked for (the `lang` parameter, the cookie, Accept-Language), or None."""
    requested = request.GET.get("lang")
    if requested in dict(settings.LANGUAGES):
        return requested
    if request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) or request.headers.get("Accept-Language"):
        return translation.get_language_from_request(request)
    return None


class ApiLanguageMiddleware:
    """After LocaleMiddleware: an API request gets the language it asked for, else English."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if is_api_path(request.path):
            language = api_language(request) or "en"
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)
