"""Where a page links a heritage record: a monument's record to the monument's page, a 3D object to its 3D page, a
panorama to its scene in a tour, any other object to its object page (or, where none is served, its record in the
API)."""
from django.urls import NoReverseMatch, reverse

from .. import selectors
from ..models import CulturalObject


def object_url(obj: CulturalObject, scenes: dict[int, str] | None = None) -> str:
    """`scenes`: {object id: URL of a tour at its scene}, from `panorama_scenes`."""
    if scenes and obj.pk in scenes:
        return scenes[obj.pk]
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


def panorama_scenes(objects) -> dict[int, str]:
    """{object id: the URL of a tour at the scene showing it} for the panoramas among these objects (one query)."""
    ids = [obj.pk for obj in objects if obj.kind == "panorama"]
    found = {}
    for scene in selectors.scenes_of_objects(ids):
        found.setdefault(scene.panorama.cultural_object_id,
                         f"{reverse('heritage-page-tour', kwargs={'slug': scene.tour.slug})}#scene-{scene.slug}")
    return found
