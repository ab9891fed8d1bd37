"""A report as a client sent it (Open311's fields): its reporter, its service and place looked up, its idempotency fingerprint."""
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from core.params import point_from_params
from layers.models import Place
from layers.selectors import AddressNotFound, place_for_address

from ..errors import ReportError, UnknownService
from ..models import Category
from ..selectors import categories_grouped


@dataclass
class Reporter:
    email: str = ""
    first_name: str = ""
    last_name: str = ""
    phone: str = ""
    device_id: str = ""
    account_id: str = ""


@dataclass
class Submission:
    """A report as a client sent it, every field as text (Open311's names), before any check."""

    service_code: str = ""
    lat: str = ""
    long: str = ""
    address_string: str = ""
    address_id: str = ""
    description: str = ""
    attributes: dict = field(default_factory=dict)
    zipcode: str = ""
    media_url: str = ""
    reporter: Reporter = field(default_factory=Reporter)
    upload: object = None  # the uploaded photo, if any
    idempotency_key: str = ""
    fields: Iterable[tuple[str, object]] = ()  # every field sent, for the idempotency fingerprint


def report_category(service_code: str) -> Category:
    if not service_code:
        raise ReportError("service_code", _("required; see services.json for the codes"), code="required")
    category = categories_grouped().filter(service_code=service_code).first()
    if category is None:
        raise UnknownService("service_code", _("no service '%(code)s'; see services.json") % {"code": service_code[:64]})
    return category


def report_location(submission: Submission):
    """(point, address, address_id) from lat and long, else address_id (a gazetteer place), else address_string."""
    if submission.lat or submission.long:
        point = point_from_params({"lat": submission.lat, "long": submission.long}, lon_names=("long",))
        return point, submission.address_string, submission.address_id
    if submission.address_id:
        address_id = submission.address_id
        place = Place.objects.filter(pk=int(address_id)).first() if address_id.isdigit() else None
        if place is None:
            raise ReportError("address_id", _("no place %(value)r in the gazetteer") % {"value": address_id[:40]},
                              code="address_not_found")
        return place.geom, submission.address_string or place.name_el, address_id
    if submission.address_string:
        try:
            place = place_for_address(submission.address_string)
        except AddressNotFound as exc:
            suggestions = "; ".join(f"{p.name_el} / {p.name_en}" for p in exc.suggestions)
            raise ReportError("address_string", str(exc) + (_("; did you mean: %(places)s") % {"places": suggestions}
                                                            if suggestions else _("; send lat and long instead")),
                              code="address_not_found",
                              suggestions=[{"name_el": p.name_el, "name_en": p.name_en} for p in exc.suggestions]) from None
        return place.geom, submission.address_string, str(place.pk)
    raise ReportError("lat, long", _("a location is required: lat and long, or address_string, or address_id"), code="required")


def submission_fingerprint(submission: Submission) -> str:
    """What a retry with the same Idempotency-Key must repeat: every field sent (but the key) and the photo's bytes."""
    digest = hashlib.sha256()
    for key, value in sorted((k, v) for k, v in submission.fields if k not in ("api_key", "media")):
        digest.update(json.dumps([key, value], sort_keys=True, default=str).encode())
    upload = submission.upload
    if upload is not None:
        upload.seek(0)
        for chunk in upload.chunks():
            digest.update(chunk)
        upload.seek(0)
    return digest.hexdigest()
