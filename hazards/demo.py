"""The demo hazard layers of Thessaloniki: each an illustrative model, made at load time and imported
through the same code as a real file."""
import tempfile
from pathlib import Path

from django.contrib.gis.geos import GEOSGeometry, MultiPolygon
from django.db import transaction

from . import demo_data
from .services import HazardImportReport, LayerSpec, raster_import, zones_import

LICENCE = "CC BY 4.0, the project's own demo data"


COVER_THE_CITY = ("flood", "coastal_flood")


def city_coverage() -> MultiPolygon:
    """The area the demo flood studies cover: the municipality (outside their zones there is no flooding)."""
    geom = GEOSGeometry(demo_data.outline().wkb.hex(), srid=4326)
    return geom if isinstance(geom, MultiPolygon) else MultiPolygon(geom, srid=4326)
MODEL = "Illustrative model, not official: "

LAYERS = [
    (demo_data.seismic_zone, None, LayerSpec(
        slug="seismic-code-zone", kind="earthquake", title_el="Ζώνη σεισμικής επικινδυνότητας (ΕΑΚ 2003)",
        title_en="Seismic code zone (EAK 2003)", units="g", thresholds=(0.10, 0.16, 0.20, 0.24), return_period_years=475,
        provenance=MODEL + "the Greek seismic code puts greater Thessaloniki in Zone II, 0.24 g (475 years); one zone over the city.",
        licence=LICENCE)),
    (demo_data.pga_raster, None, LayerSpec(
        slug="pga-475", kind="earthquake", title_el="Μέγιστη εδαφική επιτάχυνση (475 έτη)",
        title_en="Peak ground acceleration (475 years)", units="g", thresholds=(0.10, 0.16, 0.20, 0.24), return_period_years=475,
        provenance=MODEL + "PGA falling off exponentially with distance from the southern boundary fault zone of the "
                           "Mygdonia basin (source of the 1978 Ms 6.5 earthquake); EPSG:2100, 25 m.",
        licence=LICENCE)),
    (demo_data.flood_zones, 50, LayerSpec(
        slug="flood-t50", kind="flood", title_el="Πλημμύρα, περίοδος επαναφοράς 50 ετών", title_en="Flood, 50-year return period",
        units="m", thresholds=(0.05, 0.15, 0.30, 0.50), return_period_years=50,
        provenance=MODEL + "a covered stream corridor in the west (after the Dendropotamos), depth 0.9 m.", licence=LICENCE)),
    (demo_data.flood_zones, 100, LayerSpec(
        slug="flood-t100", kind="flood", title_el="Πλημμύρα, περίοδος επαναφοράς 100 ετών", title_en="Flood, 100-year return period",
        units="m", thresholds=(0.05, 0.15, 0.30, 0.50), return_period_years=100,
        provenance=MODEL + "the stream corridor (0.9 m) with shallower edges and the port lowlands (0.35 m).", licence=LICENCE)),
    (demo_data.flood_zones, 1000, LayerSpec(
        slug="flood-t1000", kind="flood", title_el="Πλημμύρα, περίοδος επαναφοράς 1000 ετών", title_en="Flood, 1000-year return period",
        units="m", thresholds=(0.05, 0.15, 0.30, 0.50), return_period_years=1000,
        provenance=MODEL + "the widest corridor and the port lowlands.", licence=LICENCE)),
    (demo_data.coastal_zones, "0.5", LayerSpec(
        slug="coastal-50cm", kind="coastal_flood", title_el="Παράκτια πλημμύρα, άνοδος στάθμης +0,5 m",
        title_en="Coastal flooding, sea level +0.5 m", units="m", thresholds=(0.05, 0.10, 0.25, 0.50),
        provenance=MODEL + "a 40 m strip along the seafront (Mediterranean rise ≈ 0.5 m by 2100).", licence=LICENCE)),
    (demo_data.coastal_zones, "1.0", LayerSpec(
        slug="coastal-100cm", kind="coastal_flood", title_el="Παράκτια πλημμύρα, άνοδος στάθμης +1 m",
        title_en="Coastal flooding, sea level +1 m", units="m", thresholds=(0.05, 0.10, 0.25, 0.50),
        provenance=MODEL + "a 120 m strip along the seafront and the port.", licence=LICENCE)),
    (demo_data.heat_raster, None, LayerSpec(
        slug="urban-heat", kind="heat", title_el="Αστική θερμική νησίδα", title_en="Urban heat island",
        units="°C", thresholds=(30.0, 33.0, 35.0, 37.0), district_min_share=0.30,
        provenance=MODEL + "night-time surface temperature, hottest in the dense coastal centre; EPSG:4326, about 30 m; "
                           "no data over the gulf.", licence=LICENCE)),
    (demo_data.vs30_raster, None, LayerSpec(
        slug="vs30-model", kind="site", title_el="Ταχύτητα διατμητικών κυμάτων Vs30 (μοντέλο)",
        title_en="Shear-wave velocity Vs30 (model)", units="m/s", thresholds=(180.0, 360.0, 760.0, 1500.0),
        provenance=MODEL + "Vs30 modelled from the city's geology for the earthquake scenarios' site term: soft deposits "
                           "of the western plain and port (about 180-230 m/s), Neogene soils under the centre (260-400 m/s), "
                           "rock of the upper town and Seich Sou to the north-east (600-800 m/s); EPSG:2100, 100 m. "
                           "Not the microzonation study: a real Vs30 GeoTIFF replaces it with hazards_import_raster --kind site.",
        licence=LICENCE)),
]

# Buildings per district and class, approximate: the municipality's stock split by the age of the
# neighbourhoods (older centre, post-war apartment blocks everywhere, newer east); for relative damage figures.
BUILDING_STOCK = {
    "D1": {"urm-pre1960": 900, "rc-infill-1960-1985": 4300, "rc-modern-post1985": 800},
    "D2": {"urm-pre1960": 700, "rc-infill-1960-1985": 6100, "rc-modern-post1985": 2200},
    "D3": {"urm-pre1960": 1400, "rc-infill-1960-1985": 4200, "rc-modern-post1985": 1400},
    "D4": {"urm-pre1960": 300, "rc-infill-1960-1985": 4200, "rc-modern-post1985": 2000},
    "D5": {"urm-pre1960": 300, "rc-infill-1960-1985": 5200, "rc-modern-post1985": 2500},
    "D6": {"urm-pre1960": 100, "rc-infill-1960-1985": 2600, "rc-modern-post1985": 3800},
}
STOCK_SOURCE = "Demo building stock, approximate: not a census count"


def load_demo_building_stock() -> int:
    from layers.models import District

    from .models import BuildingStock

    rows = 0
    for district in District.objects.filter(code__in=BUILDING_STOCK):
        for building_class, buildings in BUILDING_STOCK[district.code].items():
            BuildingStock.objects.update_or_create(district=district, building_class=building_class,
                                                   defaults={"buildings": buildings, "source": STOCK_SOURCE})
            rows += 1
    return rows


def load_demo_hazards(*, commit: bool) -> list[HazardImportReport]:
    """Make the files in a temporary folder and import each; a dry run rolls everything back."""
    coverage = city_coverage()
    for _make, _key, spec in LAYERS:
        if spec.kind in COVER_THE_CITY:
            spec.coverage = coverage
    reports = []
    with tempfile.TemporaryDirectory(prefix="demo-hazards-") as folder, transaction.atomic():
        made: dict = {}
        for make, key, spec in LAYERS:
            if make not in made:
                made[make] = make(Path(folder))
            path = made[make][key] if key is not None else made[make]
            if path.suffix == ".tif":
                reports.append(raster_import(path=path, spec=spec, commit=commit))
            else:
                reports.append(zones_import(path=path, spec=spec, commit=commit))
        if commit:
            load_demo_building_stock()
    return reports
