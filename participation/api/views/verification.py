"""Participation API: your verification: its status, the census match of your residence, and the e-mail code."""
from django.conf import settings
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from ...services import verification
from ...services.access import verification_of
from .. import serializers as out
from .base import E403, E409, ParticipationView


def _verification_answer(user) -> dict:
    v = verification_of(user)
    district = v.district if v and v.residence_verified_at else None
    return {"residence_verified": bool(v and v.residence_verified_at), "email_confirmed": bool(v and v.email_confirmed_at),
            "verified": bool(v and v.verified), "minimum_age": settings.PARTICIPATION_MIN_AGE,
            "district": {"code": district.code, "name_el": district.name_el, "name_en": district.name_en}
            if district else None}


class VerificationStatus(ParticipationView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=out.VerificationSerializer)
    def get(self, request):
        """Your verification: residence (with the district) and e-mail."""
        return Response(_verification_answer(request.user))


class VerifyResidence(ParticipationView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=out.ResidenceInputSerializer,
        responses={200: out.VerificationSerializer, 403: E403, 409: E409})
    def post(self, request):
        """Match your census entry (identity-card number and date of birth, as on the card)."""
        body = self.body(out.ResidenceInputSerializer)
        verification.verification_match_residence(user=request.user, identifier=body["identifier"],
                                                  birth_date=body["date_of_birth"])
        return Response(_verification_answer(request.user))


class VerifyEmail(ParticipationView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=out.EmailInputSerializer,
                   responses={202: out.VerificationSerializer})
    def post(self, request):
        """Send a six-digit code to your e-mail address."""
        verification.verification_send_email_code(user=request.user, email=self.body(out.EmailInputSerializer)["email"])
        return Response(_verification_answer(request.user), status=status.HTTP_202_ACCEPTED)


class ConfirmEmail(ParticipationView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=out.EmailCodeInputSerializer,
                   responses=out.VerificationSerializer)
    def post(self, request):
        """Confirm your e-mail with the code sent to it."""
        verification.verification_confirm_email(user=request.user, code=self.body(out.EmailCodeInputSerializer)["code"])
        return Response(_verification_answer(request.user))
