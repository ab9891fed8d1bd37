"""The participation API's base view (refusals to the REST API's handler, the JSON body read) and its shared error answers."""
from drf_spectacular.utils import OpenApiResponse
from rest_framework.exceptions import NotAuthenticated, ParseError
from rest_framework.views import APIView

from core.api_errors import ErrorSerializer
from core.bodies import validated

from ...errors import ParticipationError

E409 = OpenApiResponse(ErrorSerializer, "not open in the current phase (the answer names the phase and its dates), "
                                        "or the state of things does not allow it")
E403 = OpenApiResponse(ErrorSerializer, "not verified (the answer says how to verify) or not allowed")


class ParticipationView(APIView):
    """The services' refusals go to the REST API's handler (core.api_errors); one that needs an account, to a
    client that is not signed in, is a 401 with WWW-Authenticate."""

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
