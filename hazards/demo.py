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
]


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
    return reports
