"""A proposal's place: the GeoJSON geometry types it may be (read by core.params.parse_geometry), and PostGIS's answer to
which districts it lies in and with what share (participation/sql/place_districts.sql), checked against the
process's scope."""
from dataclasses import dataclass

from django.conf import settings
from django.contrib.gis.geos import GEOSGeometry, Point
from django.utils.translation import gettext as _

from layers.models import District
from layers.selectors import district_for_point
from core.sql_files import fetch_all

from .errors import InvalidInput
from .models import Process

PLACE_TYPES = ("Point", "LineString", "Polygon", "MultiLineString", "MultiPolygon")
# slivers below this share (a vertex drawn a hair over a boundary) are not counted
MIN_SHARE = 0.001


@dataclass(frozen=True)
class DistrictShare:
    district: District
    share: float


def place_districts(geom: GEOSGeometry) -> tuple[list[DistrictShare], list[dict]]:
    """The districts a place lies in with their shares (largest first, then by code), and the parts outside
    every district: [{code, name_en, name_el, share}] with the neighbouring municipality, when one is known."""
    if isinstance(geom, Point):
        found = district_for_point(geom)
        if found.district is not None:
            return [DistrictShare(found.district, 1.0)], []
        m = found.municipality
        return [], [{"code": m.code if m else None, "name_en": m.name_en if m else None,
                     "name_el": m.name_el if m else None, "share": 1.0}]
    rows = fetch_all("participation", "place_districts",
                     {"geojson": geom.json, "home": settings.HOME_MUNICIPALITY_CODE})
    total = sum(r["measure"] for r in rows) or 1.0
    districts = District.objects.in_bulk([r["district_id"] for r in rows if r["kind"] == "district"])
    shares = [DistrictShare(districts[r["district_id"]], r["measure"] / total) for r in rows
              if r["kind"] == "district" and r["measure"] / total >= MIN_SHARE]
    outside = [{"code": r["code"], "name_en": r["name_en"], "name_el": r["name_el"], "share": r["measure"] / total}
               for r in rows if r["kind"] == "outside" and r["measure"] / total >= MIN_SHARE]
    kept = sum(s.share for s in shares) or 1.0
    if not outside:
        shares = [DistrictShare(s.district, s.share / kept) for s in shares]
    shares.sort(key=lambda s: (-round(s.share, 9), s.district.code))
    return shares, outside


def checked_place_districts(process: Process, geom: GEOSGeometry) -> list[DistrictShare]:
    """The place's districts when the whole place lies within the process's scope; else InvalidInput naming
    the district or neighbouring municipality that is outside."""
    shares, outside = place_districts(geom)
    if outside:
        names = sorted({o["name_en"] for o in outside if o["name_en"]})
        message = (_("the place lies in %(places)s, outside the Municipality of Thessaloniki; draw it within the city")
                   % {"places": " and ".join(names)} if names
                   else _("the place lies outside the Municipality of Thessaloniki; draw it within the city"))
        raise InvalidInput(message, parameter="place", code="out_of_area", outside=outside)
    scope = {d.code: d for d in process.districts.all()}
    if scope:
        wrong = [s.district for s in shares if s.district.code not in scope]
        if wrong:
            allowed = ", ".join(f"{d.name_en} ({d.code})" for d in sorted(scope.values(), key=lambda d: d.code))
            names = ", ".join(f"{d.name_en} ({d.code})" for d in wrong)
            raise InvalidInput(_("the place lies in %(districts)s, outside this process, which covers %(allowed)s")
                               % {"districts": names, "allowed": allowed}, parameter="place", code="out_of_area",
                               outside_districts=[d.code for d in wrong])
    return shares


