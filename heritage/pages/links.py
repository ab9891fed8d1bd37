"""Where a page links a heritage record: a monument's record to the monument's page, a 3D object to its 3D page,
any other object to its object page (or, where none is served, its record in the API)."""
from django.urls import NoReverseMatch, reverse

from ..models import CulturalObject


def object_url(obj: CulturalObject) -> str:
    if obj.describes_monument and obj.monument_id:
        return reverse("heritage-page-monument", kwargs={"monument_id": obj.monument_id})
    if obj.edm_type == "3D":
        return reverse("heritage-page-model", kwargs={"identifier": obj.identifier})
    try:
        return reverse("heritage-object-page", kwargs={"identifier": obj.identifier})
    except NoReverseMatch:
        return reverse("heritage-object", kwargs={"identifier": obj.identifier})


def media_url(path: str) -> str:
    from django.conf import settings

    return f"{settings.MEDIA_URL}{path}"
