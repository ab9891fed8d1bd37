"""The participation API's base view (refusals to the REST API's handler, the JSON body read) and its shared error answers."""
from drf_spectacular.utils import OpenApiResponse
from rest_framework.exceptions import NotAuthenticated, ParseError
from rest_framework.views import APIView

from core.api_errors import ErrorSerializer
from core.bodies import validated

from ...errors import ParticipationError
from ...write_limit import require_write_allowance

E409 = OpenApiResponse(ErrorSerializer, "not open in the current phase (the answer names the phase and its dates), "
                                        "or the state of things does not allow it")
E403 = OpenApiResponse(ErrorSerializer, "not verified (the answer says how to verify) or not allowed")


class ParticipationView(APIView):
    """The services' refusals go to the REST API's handler (core.api_errors); one that needs an account, to a
    client that is not signed in, is a 401 with WWW-Authenticate. Every write (POST, PUT, PATCH, DELETE) counts
    against the citizen write limit (core.limits), a 429 with Retry-After over it; `unlimited_methods` names a
    view's POST that only reads (the similar proposals)."""

    writes_limited = True
    unlimited_methods: tuple[str, ...] = ()

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if request.method not in ("GET", "HEAD", "OPTIONS") and request.method not in self.unlimited_methods:
            require_write_allowance(request)

    def handle_exception(self, exc):
        if isinstance(exc, ParticipationError) and exc.status == 403 and not self.request.user.is_authenticated:
            exc = NotAuthenticated(str(exc))
        return super().handle_exception(exc)

    def body(self, serializer_class, *, partial: bool = False) -> dict:
        """The request's JSON object read by the serializer (is_valid); the first field at fault is a 400 naming it."""
        data = self.request.data
        if not hasattr(data, "get"):
            raise ParseError("the body must be a JSON object")
        return validated(serializer_class(data=data, partial=partial))
