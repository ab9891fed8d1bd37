"""The Thessaloniki demo geography: which fixture files to import, and their provenance."""
from pathlib import Path

from django.conf import settings
from django.db import transaction

from .models import District
from .services import (
    BoundaryImportReport, boundaries_import, heritage_import, places_import, public_services_import,
    service_points_import,
)

FIXTURES = Path(settings.BASE_DIR) / "fixtures" / "thessaloniki"

BOUNDARY_ATTRIBUTION = "geodata.gov.gr, CC BY 3.0"
MUNICIPALITY_PROVENANCE = (
    "Official Kallikratis boundary of the Municipality of Thessaloniki (YPES 9031), unchanged. "
    f"Source: {BOUNDARY_ATTRIBUTION}."
)
DISTRICT_PROVENANCE = (
    "Demo data, approximate: Voronoi partition around one reference point per district, cut by the real "
    "municipal outline (which they cover exactly). Not the official district boundaries, which are not "
    f"published as open data. Outline: {BOUNDARY_ATTRIBUTION}."
)
NEIGHBOUR_PROVENANCE = (
    f"Official Kallikratis boundary, unchanged. Source: {BOUNDARY_ATTRIBUTION}."
)

GAZETTEER_PROVENANCE = (
    "Demo data, approximate: positions of streets (a point near their middle), squares, landmarks and "
    "heritage sites, within about 100 to 300 m."
)

# Residents per district, approximate: the 2021 census total of the municipality (319,045) split by the
# demo districts' areas, except Triandria's published 9,428. For exposure estimates in the demo only.
DEMO_POPULATION = {"D1": 55738, "D2": 77188, "D3": 27751, "D4": 55365, "D5": 93575, "D6": 9428}

HERITAGE_PROVENANCE = (
    "Demo data: the components of UNESCO World Heritage site 456 and other landmarks; each site says where "
    "its position comes from."
)
SERVICE_POINT_PROVENANCE = "Demo data, approximate: addresses and positions of municipal offices are illustrative."

DEMO_IMPORTS = [
    ("municipality.geojson", "municipality", MUNICIPALITY_PROVENANCE),
    ("neighbours.geojson", "municipality", NEIGHBOUR_PROVENANCE),
    ("districts.geojson", "district", DISTRICT_PROVENANCE),
]


def load_demo_geography(*, commit: bool) -> list:
    """Import the demo files in order, through the same code as any real import.

    A dry run imports inside a transaction that is then rolled back, because the districts need
    their municipality to exist.
    """
    with transaction.atomic():
        reports = _import_all()
        for code, population in DEMO_POPULATION.items():
            District.objects.filter(code=code).exclude(population=population).update(population=population)
        reports.append(places_import(path=FIXTURES / "gazetteer.csv", provenance=GAZETTEER_PROVENANCE, commit=True))
        reports.append(heritage_import(path=FIXTURES / "heritage.geojson", provenance=HERITAGE_PROVENANCE, commit=True))
        reports.append(public_services_import(path=FIXTURES / "services.csv", commit=True))
        reports.append(service_points_import(path=FIXTURES / "service_points.geojson", provenance=SERVICE_POINT_PROVENANCE,
                                             commit=True))
        if not commit:
            transaction.set_rollback(True)
            for report in reports:
                report.committed = False
    return reports


def _import_all() -> list[BoundaryImportReport]:
    return [
        boundaries_import(
            path=FIXTURES / filename,
            level=level,
            code_field="code",
            name_field="name_el",
            name_en_field="name_en",
            provenance=provenance,
            commit=True,
        )
        for filename, level, provenance in DEMO_IMPORTS
    ]
