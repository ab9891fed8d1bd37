"""Reads of the reference geography: which district and municipality cover a point."""
from dataclasses import dataclass

from django.conf import settings
from django.contrib.gis.geos import Point
from django.db.models import Case, IntegerField, Value, When

from .models import District, DistrictPiece, Municipality, MunicipalityPiece


@dataclass(frozen=True)
class PointPlace:
    """Where a point lies: its district of the served municipality, or the municipality that covers it."""

    district: District | None
    municipality: Municipality | None

    @property
    def in_home_municipality(self) -> bool:
        return self.municipality is not None and self.municipality.code == settings.HOME_MUNICIPALITY_CODE


def district_for_point(point: Point) -> PointPlace:
    """The district covering a WGS84 point, found MapIt's way: ST_Covers on the subdivided pieces.

    A point on a boundary is covered by the districts on both sides; the rule that makes the answer
    deterministic is: the district with the smallest code wins. A point in no district gets no district,
    and the municipality covering it (a neighbour, when neighbours were imported): the served
    municipality first, then the smallest code.
    """
    if point.srid is None:
        point = Point(point.x, point.y, srid=4326)
    piece = (
        DistrictPiece.objects.filter(geom__covers=point)
        .select_related("district__municipality")
        .order_by("district__code")
        .first()
    )
    if piece is not None:
        return PointPlace(district=piece.district, municipality=piece.district.municipality)
    piece = (
        MunicipalityPiece.objects.filter(geom__covers=point)
        .select_related("municipality")
        .order_by(_home_first(), "municipality__code")
        .first()
    )
    return PointPlace(district=None, municipality=piece.municipality if piece else None)


def home_municipality() -> Municipality | None:
    return Municipality.objects.filter(code=settings.HOME_MUNICIPALITY_CODE).first()


def _home_first():
    return Case(
        When(municipality__code=settings.HOME_MUNICIPALITY_CODE, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
