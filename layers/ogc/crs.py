"""The coordinate reference systems the OGC API offers, by URI: output axis order and SQL for each."""
from dataclasses import dataclass

from core.params import ParameterError

CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"


@dataclass(frozen=True)
class OutputCrs:
    uri: str
    srid: int
    lat_first: bool  # EPSG:4326 is latitude, longitude
    digits: int


SUPPORTED = {
    CRS84: OutputCrs(CRS84, 4326, False, 7),
    "http://www.opengis.net/def/crs/EPSG/0/4326": OutputCrs("http://www.opengis.net/def/crs/EPSG/0/4326", 4326, True, 7),
    "http://www.opengis.net/def/crs/EPSG/0/3857": OutputCrs("http://www.opengis.net/def/crs/EPSG/0/3857", 3857, False, 2),
    "http://www.opengis.net/def/crs/EPSG/0/2100": OutputCrs("http://www.opengis.net/def/crs/EPSG/0/2100", 2100, False, 2),
}
ALIASES = {"EPSG:4326": "http://www.opengis.net/def/crs/EPSG/0/4326", "EPSG:3857": "http://www.opengis.net/def/crs/EPSG/0/3857",
           "EPSG:2100": "http://www.opengis.net/def/crs/EPSG/0/2100", "CRS84": CRS84, "OGC:CRS84": CRS84}


def resolve(value: str | None, parameter: str) -> OutputCrs:
    if not value:
        return SUPPORTED[CRS84]
    uri = ALIASES.get(value.strip("[]"), value.strip("[]"))
    if uri not in SUPPORTED:
        raise ParameterError(parameter, f"unsupported CRS {value[:80]!r}; one of {', '.join(SUPPORTED)}")
    return SUPPORTED[uri]
