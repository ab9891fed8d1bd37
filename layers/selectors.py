"""Reads of the reference geography: which district and municipality cover a point."""
from dataclasses import dataclass

from django.conf import settings
from django.contrib.gis.geos import Point, Polygon
from django.db.models import Case, IntegerField, Value, When

from core.params import degrees_padding
from .gazetteer import search_key
from .models import District, DistrictPiece, Municipality, MunicipalityPiece, Place
from core.sql_files import fetch_all, fetch_one


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


@dataclass(frozen=True)
class NearDistrict:
    district: District
    metres: float


def nearest_district_within(point: Point, *, tolerance_m: float) -> NearDistrict | None:
    """The district closest to a point that no district covers, if one lies within tolerance_m metres."""
    params = {"lon": point.x, "lat": point.y, "tolerance_m": float(tolerance_m), "pad_deg": degrees_padding(tolerance_m, point.y)}
    row = fetch_one("layers", "nearest_district", params)
    if row is None:
        return None
    return NearDistrict(district=District.objects.get(pk=row["district_id"]), metres=row["metres"])


@dataclass(frozen=True)
class PlaceMatch:
    place: Place
    score: float


def places_matching(text: str, *, limit: int = 5, strict: bool = True, min_score: float = 0.2) -> list[PlaceMatch]:
    """Gazetteer places by trigram similarity of their names to text, in Greek or Latin script, best first.

    strict uses pg_trgm's similarity threshold (0.3) through the index; otherwise min_score applies.
    """
    key = search_key(text)
    if not key:
        return []
    rows = fetch_all("layers", "places_matching", {"key": key, "strict": strict, "min_score": min_score, "limit": limit})
    places = Place.objects.in_bulk([r["place_id"] for r in rows])
    return [PlaceMatch(place=places[r["place_id"]], score=float(r["score"])) for r in rows]


class AddressNotFound(LookupError):
    """An address the gazetteer cannot resolve to one place; suggestions lists the closest names."""

    def __init__(self, message: str, suggestions: list[Place]):
        super().__init__(message)
        self.suggestions = suggestions


ADDRESS_MIN_SCORE = 0.5
AMBIGUITY_MARGIN = 0.05


def place_for_address(text: str) -> Place:
    """The one gazetteer place an address names; AddressNotFound when none is close enough or two are."""
    text = (text or "").strip()
    if not text:
        raise AddressNotFound("address_string is empty", [])
    matches = places_matching(text, limit=5, strict=False, min_score=0.2)
    if not matches or matches[0].score < ADDRESS_MIN_SCORE:
        raise AddressNotFound(f"no place matches the address '{text[:100]}'", [m.place for m in matches[:3] if m.score >= 0.1])
    best = matches[0]
    rivals = [m for m in matches[1:] if best.score - m.score <= AMBIGUITY_MARGIN]
    if rivals:
        raise AddressNotFound(
            f"the address '{text[:100]}' matches several places equally well", [best.place, *[m.place for m in rivals]][:5]
        )
    return best.place


def places_in_box(box: Polygon | None, *, limit: int) -> list[Place]:
    """Gazetteer places inside a WGS84 box (all when None), by kind and name, so a limit cuts streets last."""
    places = Place.objects.all()
    if box is not None:
        places = places.filter(geom__coveredby=box)
    return list(places.order_by("kind", "name_en")[:limit])
