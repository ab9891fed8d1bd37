"""A scenario's ground motion on a grid: what is read from the database first (the grid, Vs30, the districts
and their building stock), then pure numpy (no database), so the numbers can be made in another thread."""
import json
import math
import time
from dataclasses import dataclass, field

import numpy as np
from django.conf import settings
from django.utils.translation import gettext as _
from rasterio.enums import Resampling
from rasterio.features import rasterize
from rasterio.transform import from_origin
from rasterio.warp import reproject
from rasterio.warp import transform as transform_points

from layers.models import District
from core.sql_files import fetch_all

from .. import rasters
from ..models import SITE_KIND, BuildingStock, HazardLayer
from . import fragility
from .gmpe import MECHANISM_RAKE, MODELS, ln_pga, mmi_from_pga
from .rupture import Rupture, rupture_for

GRID_CRS = "EPSG:2100"


@dataclass(frozen=True)
class ScenarioInputs:
    magnitude: float
    lon: float
    lat: float
    depth_km: float
    mechanism: str
    strike: float
    dip: float
    finite: bool
    model: str
    n_sigma: float

    @property
    def rake(self) -> float:
        return MECHANISM_RAKE[self.mechanism]

    def as_dict(self) -> dict:
        return {"magnitude": self.magnitude, "lon": self.lon, "lat": self.lat, "depth_km": self.depth_km,
                "mechanism": self.mechanism, "strike": self.strike, "dip": self.dip,
                "rupture": "finite" if self.finite else "point", "model": self.model, "n_sigma": self.n_sigma}


@dataclass
class Grid:
    west: float
    north: float
    cell_m: float
    width: int
    height: int

    @property
    def transform(self):
        return from_origin(self.west, self.north, self.cell_m, self.cell_m)

    def centres(self) -> tuple[np.ndarray, np.ndarray]:
        xs = self.west + (np.arange(self.width) + 0.5) * self.cell_m
        ys = self.north - (np.arange(self.height) + 0.5) * self.cell_m
        return np.meshgrid(xs, ys)

    def corners(self) -> tuple[np.ndarray, np.ndarray]:
        east, south = self.west + self.width * self.cell_m, self.north - self.height * self.cell_m
        return np.array([self.west, east, east, self.west]), np.array([self.north, self.north, south, south])

    def as_dict(self) -> dict:
        return {"crs": GRID_CRS, "cell_m": self.cell_m, "width": self.width, "height": self.height,
                "west": self.west, "north": self.north}


def scenario_grid(cell_m: float | None = None) -> Grid:
    """The municipalities on record and a margin around them (settings.HAZARD_SCENARIO_MARGIN_M), in cells of
    settings.HAZARD_SCENARIO_CELL_M metres."""
    cell = float(cell_m or settings.HAZARD_SCENARIO_CELL_M)
    box = fetch_all("hazards", "scenario_grid_bounds", {"margin": float(settings.HAZARD_SCENARIO_MARGIN_M)})[0]
    if box["west"] is None:
        raise ValueError("no municipality on record: load the geography first (make demo)")
    west, north = math.floor(box["west"] / cell) * cell, math.ceil(box["north"] / cell) * cell
    width = int(math.ceil((box["east"] - west) / cell))
    height = int(math.ceil((north - box["south"]) / cell))
    return Grid(west, north, cell, width, height)


def vs30_layer() -> HazardLayer | None:
    """The site layer (Vs30, m/s) registered last; a real Vs30 GeoTIFF is registered with hazards_import_raster
    --kind site."""
    return HazardLayer.objects.filter(kind=SITE_KIND, source=HazardLayer.Source.RASTER).order_by("-updated_at", "-id").first()


def vs30_on(grid: Grid, layer: HazardLayer | None) -> tuple[np.ndarray, str]:
    """Vs30 on the grid (bilinear), the default reference rock where the layer has no value."""
    default = float(settings.HAZARD_SCENARIO_DEFAULT_VS30)
    values = np.full((grid.height, grid.width), np.nan, dtype="float32")
    if layer is None:
        return np.full((grid.height, grid.width), default, dtype="float32"), f"no site layer: Vs30 {default:g} m/s everywhere"
    source = rasters.dataset(layer)
    reproject(source=source.read(layer.band), destination=values, src_transform=source.transform, src_crs=source.crs,
              src_nodata=layer.nodata, dst_transform=grid.transform, dst_crs=GRID_CRS, dst_nodata=np.nan,
              resampling=Resampling.bilinear)
    missing = np.isnan(values)
    values[missing] = default
    note = f"Vs30 from layer {layer.slug}" + (f"; {default:g} m/s where it has no value ({missing.mean():.0%} of cells)" if missing.any() else "")
    return values, note


@dataclass
class DistrictCells:
    code: str
    name_el: str
    name_en: str
    label: int
    stock: dict[str, int]  # building class -> buildings
    stock_source: str


@dataclass
class Prepared:
    inputs: ScenarioInputs
    grid: Grid
    vs30: np.ndarray
    site_note: str
    rupture: Rupture
    labels: np.ndarray  # district label per cell (0 outside every district)
    districts: list[DistrictCells]
    read_s: float = 0.0


def prepare(inputs: ScenarioInputs, *, cell_m: float | None = None) -> Prepared:
    """Everything read from the database and the files before the numbers are made."""
    started = time.perf_counter()
    grid = scenario_grid(cell_m)
    vs30, note = vs30_on(grid, vs30_layer())
    xs, ys = transform_points("EPSG:4326", GRID_CRS, [inputs.lon], [inputs.lat])
    rupture = rupture_for(x=xs[0], y=ys[0], depth_km=inputs.depth_km, mag=inputs.magnitude, rake=inputs.rake,
                          strike=inputs.strike, dip=inputs.dip, finite=inputs.finite)
    stock: dict[int, dict] = {}
    for row in BuildingStock.objects.all():
        entry = stock.setdefault(row.district_id, {"classes": {}, "source": row.source})
        entry["classes"][row.building_class] = row.buildings
    districts, shapes = [], []
    for label, district in enumerate(District.objects.order_by("code").extra(
            select={"geom_2100": "ST_AsGeoJSON(ST_Transform(geom, 2100))"}), start=1):
        shapes.append((json.loads(district.geom_2100), label))
        own = stock.get(district.pk, {"classes": {}, "source": ""})
        districts.append(DistrictCells(district.code, district.name_el, district.name_en, label, own["classes"], own["source"]))
    labels = rasterize(shapes, out_shape=(grid.height, grid.width), transform=grid.transform, fill=0, dtype="int32") if shapes \
        else np.zeros((grid.height, grid.width), dtype="int32")
    return Prepared(inputs, grid, vs30, note, rupture, labels, districts, time.perf_counter() - started)


@dataclass
class Fields:
    pga: np.ndarray  # g, at the scenario's n_sigma
    mmi: np.ndarray
    sigma_ln: float
    max_rjb_km: float
    districts: list[dict] = field(default_factory=list)
    compute_s: float = 0.0


def ground_motion(prepared: Prepared) -> tuple[np.ndarray, float]:
    inputs, grid = prepared.inputs, prepared.grid
    xs, ys = grid.centres()
    rjb = prepared.rupture.rjb_km(xs, ys)
    mean, sigma = ln_pga(inputs.model, mag=inputs.magnitude, rjb=rjb, vs30=prepared.vs30, rake=inputs.rake)
    return np.exp(mean + inputs.n_sigma * sigma), sigma


def compute(prepared: Prepared) -> Fields:
    """PGA and MMI on the grid and the expected damage per district, with its band from the model's spread."""
    started = time.perf_counter()
    pga, sigma = ground_motion(prepared)
    mmi = mmi_from_pga(pga)
    cx, cy = prepared.grid.corners()
    fields = Fields(pga=pga.astype("float32"), mmi=mmi.astype("float32"), sigma_ln=sigma,
                    max_rjb_km=float(prepared.rupture.rjb_km(cx, cy).max()))
    fields.districts = district_damage(prepared, pga, sigma)
    fields.compute_s = time.perf_counter() - started
    return fields


def district_damage(prepared: Prepared, pga: np.ndarray, sigma: float) -> list[dict]:
    """Per district: PGA and MMI statistics, and per building class the expected share of buildings in each damage
    state at the scenario's ground motion, with the band from the 16th to the 84th percentile of the model's
    spread around its median; buildings counted from the district's stock, spread evenly over its area."""
    n_sigma = prepared.inputs.n_sigma
    median = pga / math.exp(n_sigma * sigma)
    flat_labels = prepared.labels.ravel()
    order = np.argsort(flat_labels, kind="stable")
    bounds = np.searchsorted(flat_labels[order], np.arange(len(prepared.districts) + 2))
    answer = []
    for district in prepared.districts:
        cells = order[bounds[district.label]:bounds[district.label + 1]]
        here = pga.ravel()[cells]
        entry = {"district": district.code, "name_el": district.name_el, "name_en": district.name_en, "cells": int(cells.size)}
        if cells.size == 0:
            answer.append({**entry, "pga_g": None, "mmi": None, "classes": [], "buildings": None})
            continue
        entry["pga_g"] = {"min": float(here.min()), "mean": float(here.mean()), "max": float(here.max())}
        entry["mmi"] = {"mean": float(mmi_from_pga(here).mean()), "max": float(mmi_from_pga(here.max()))}
        here_median = median.ravel()[cells]
        classes, totals = [], {state: [0.0, 0.0, 0.0] for state in ["none", *fragility.STATES]}
        for class_id, buildings in sorted(district.stock.items()):
            curve = fragility.CLASSES[class_id]
            central = fragility.state_shares(curve, here)
            low = fragility.state_shares(curve, here_median * math.exp(-sigma))
            high = fragility.state_shares(curve, here_median * math.exp(sigma))
            classes.append({"building_class": class_id, "buildings": buildings, "shares": _round(central),
                            "band": {"p16": _round(low), "p84": _round(high)}})
            for state in totals:
                for i, shares in enumerate((central, low, high)):
                    totals[state][i] += shares[state] * buildings
        total = sum(district.stock.values())
        entry["classes"] = classes
        entry["buildings"] = {"total": total, "source": district.stock_source,
                              "expected": {state: round(v[0]) for state, v in totals.items()},
                              "band": {"p16": {state: round(v[1]) for state, v in totals.items()},
                                       "p84": {state: round(v[2]) for state, v in totals.items()}}} if total else None
        answer.append(entry)
    return answer


def _round(shares: dict[str, float]) -> dict[str, float]:
    return {k: round(v, 4) for k, v in shares.items()}


def validity_problems(prepared: Prepared, max_rjb_km: float) -> list[str]:
    model = MODELS[prepared.inputs.model]
    problems = model.validity.problems(magnitude=prepared.inputs.magnitude)
    if max_rjb_km > model.validity.max_distance_km:
        problems.append(_("the grid reaches %(distance).0f km from the rupture (Joyner-Boore); %(model)s is valid up to "
                          "%(limit)g km: place the epicentre closer to the city")
                        % {"distance": max_rjb_km, "model": model.name, "limit": model.validity.max_distance_km})
    low, high = float(prepared.vs30.min()), float(prepared.vs30.max())
    if low < model.validity.min_vs30 or high > model.validity.max_vs30:
        problems.append(_("Vs30 on the grid ranges %(low).0f to %(high).0f m/s; %(model)s is valid for %(min)g to %(max)g m/s")
                        % {"low": low, "high": high, "model": model.name, "min": model.validity.min_vs30,
                           "max": model.validity.max_vs30})
    return problems
