"""Writes: running a scenario (checked, computed with a deadline, stored as two raster hazard layers) and deleting
one with its rasters."""
import logging
import math
import tempfile
from pathlib import Path

import numpy as np
import rasterio
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import SCENARIO_KIND, EarthquakeScenario, HazardLayer
from ..services import LayerSpec, raster_import
from .compute import GRID_CRS, Fields, Prepared, ScenarioInputs, compute, prepare, validity_problems
from .gmpe import MECHANISM_RAKE, MODELS
from .presets import PRESETS

from core.errors import ServiceError

log = logging.getLogger(__name__)

PGA_THRESHOLDS = (0.05, 0.10, 0.20, 0.35)  # g: very_low, low, medium, high
MMI_THRESHOLDS = (5.0, 6.0, 7.0, 8.0)  # light, moderate, strong, very strong and above
LABEL = "Relative and uncalibrated: a ground-motion model's median (or the chosen percentile) and generic fragility curves, not a forecast."


class ScenarioInputError(ServiceError):
    """400: the scenario's inputs cannot be run; `parameter` names the input, the message says what to fix."""


def _number(data: dict, name: str, *, low: float, high: float, default: float | None = None, unit: str = "") -> float:
    value = data.get(name, default)
    if value is None or value == "":
        raise ScenarioInputError(_("required, a number from %(low)g to %(high)g%(unit)s")
                                 % {"low": low, "high": high, "unit": unit}, parameter=name)
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ScenarioInputError(_("must be a number, got %(value)r") % {"value": str(value)[:40]}, parameter=name) from None
    if not math.isfinite(number) or not low <= number <= high:
        raise ScenarioInputError(_("%(value)g is outside %(low)g to %(high)g%(unit)s")
                                 % {"value": number, "low": low, "high": high, "unit": unit}, parameter=name)
    return number


def scenario_inputs(data: dict) -> tuple[ScenarioInputs, str, str]:
    """The checked inputs, the scenario's name and its preset from a request's body; a preset's inputs may be
    overridden one by one."""
    if not isinstance(data, dict):
        raise ScenarioInputError(_("send a JSON object with magnitude, lon, lat, depth_km, mechanism, strike, dip, model"))
    preset = data.get("preset") or ""
    if preset and (not isinstance(preset, str) or preset not in PRESETS):
        raise ScenarioInputError(_("no preset '%(name)s'; one of %(choices)s") % {"name": str(preset)[:40], "choices": ", ".join(PRESETS)}, parameter="preset")
    merged = {**(PRESETS[preset]["inputs"] if preset else {}), **{k: v for k, v in data.items() if k not in ("preset", "name")}}
    model = merged.get("model", "akkar-bommer-2010")
    if not isinstance(model, str) or model not in MODELS:
        raise ScenarioInputError(_("one of %(choices)s, got %(value)r") % {"choices": ", ".join(MODELS), "value": str(model)[:40]}, parameter="model")
    validity = MODELS[model].validity
    magnitude = _number(merged, "magnitude", low=0, high=10)
    if problems := validity.problems(magnitude=magnitude):
        raise ScenarioInputError(f"{problems[0]} ({MODELS[model].name})", parameter="magnitude")
    lon = _number(merged, "lon", low=-180, high=180, unit=_("° (WGS84 longitude)"))
    lat = _number(merged, "lat", low=-90, high=90, unit=_("° (WGS84 latitude)"))
    depth = _number(merged, "depth_km", low=1, high=40, default=10.0, unit=_(" km"))
    mechanism = merged.get("mechanism")
    if not isinstance(mechanism, str) or mechanism not in MECHANISM_RAKE:
        raise ScenarioInputError(_("one of %(choices)s, got %(value)r") % {"choices": ", ".join(MECHANISM_RAKE), "value": str(mechanism)[:40]}, parameter="mechanism")
    rupture = merged.get("rupture", "finite")
    if not isinstance(rupture, str) or rupture not in ("finite", "point"):
        raise ScenarioInputError(_("finite (with strike and dip) or point, got %(value)r") % {"value": str(rupture)[:40]}, parameter="rupture")
    finite = rupture == "finite"
    strike = _number(merged, "strike", low=0, high=360, default=None if finite else 0.0, unit=_("° (clockwise from north)"))
    dip = _number(merged, "dip", low=1, high=90, default=None if finite else 90.0, unit="°")
    n_sigma = merged.get("n_sigma", 0)
    if isinstance(n_sigma, bool) or not isinstance(n_sigma, (int, float)) or n_sigma not in (-1, 0, 1):
        raise ScenarioInputError(_("0 (the median), -1 (16th percentile) or 1 (84th percentile), got %(value)r")
                                 % {"value": str(n_sigma)[:40]}, parameter="n_sigma")
    name = str(data.get("name") or (PRESETS[preset]["name_en"] if preset else f"M{magnitude:g} {mechanism} at {lon:.3f}, {lat:.3f}"))
    if len(name) > 200:
        raise ScenarioInputError(_("at most 200 characters"), parameter="name")
    inputs = ScenarioInputs(magnitude, lon, lat, depth, mechanism, strike, dip, finite, model, float(n_sigma))
    return inputs, name, preset


def scenario_run(*, inputs: ScenarioInputs, name: str, preset: str = "", user=None, deadline_s: float | None = None,
                 cell_m: float | None = None) -> tuple[EarthquakeScenario, bool]:
    """Check the inputs against the model on this grid, then compute: in this request when the grid is small
    enough to finish within the deadline (the scenario and True), else as a background job on the job queue
    (the scenario, still running, and False; the job stores it, with retries, in the worker)."""
    prepared = prepare(inputs, cell_m=cell_m)
    cx, cy = prepared.grid.corners()
    if problems := validity_problems(prepared, float(prepared.rupture.rjb_km(cx, cy).max())):
        raise ScenarioInputError("; ".join(problems))
    scenario = EarthquakeScenario.objects.create(name=name, preset=preset, inputs=inputs.as_dict(), created_by=user
                                                 if getattr(user, "is_authenticated", False) else None)
    deadline = settings.HAZARD_SCENARIO_DEADLINE_S if deadline_s is None else deadline_s
    if estimated_seconds(prepared) > deadline:
        from ..tasks import compute_scenario  # the task module imports these services

        transaction.on_commit(lambda: compute_scenario.defer(scenario_id=scenario.pk, cell_m=prepared.grid.cell_m))
        return scenario, False
    scenario_store(scenario=scenario, prepared=prepared, fields=compute(prepared))
    scenario.refresh_from_db()
    return scenario, True


def estimated_seconds(prepared: Prepared) -> float:
    """How long computing and storing this grid takes, from the cells and the measured rate (docs/PERFORMANCE.md)."""
    cells = prepared.grid.width * prepared.grid.height
    return prepared.read_s + cells / 1e6 * settings.HAZARD_SCENARIO_SECONDS_PER_MILLION_CELLS


def scenario_compute_stored(*, scenario_id: int, cell_m: float | None = None) -> EarthquakeScenario | None:
    """Compute and store a scenario that was queued with its inputs (the job's work); None when it was deleted
    meanwhile. A failure marks the scenario failed with the reason, then raises for the queue's retry."""
    scenario = EarthquakeScenario.objects.filter(pk=scenario_id).first()
    if scenario is None or scenario.status == EarthquakeScenario.Status.DONE:
        return scenario
    stored = dict(scenario.inputs)
    inputs = ScenarioInputs(
        magnitude=stored["magnitude"], lon=stored["lon"], lat=stored["lat"], depth_km=stored["depth_km"],
        mechanism=stored["mechanism"], strike=stored["strike"], dip=stored["dip"], finite=stored["rupture"] == "finite",
        model=stored["model"], n_sigma=stored["n_sigma"])
    try:
        prepared = prepare(inputs, cell_m=cell_m)
        return scenario_store(scenario=scenario, prepared=prepared, fields=compute(prepared))
    except Exception as exc:
        log.exception("earthquake scenario %s failed", scenario_id)
        EarthquakeScenario.objects.filter(pk=scenario_id).update(status="failed", error=str(exc)[:500], finished_at=timezone.now())
        raise


def _write(path: Path, data: np.ndarray, prepared: Prepared, description: str) -> Path:
    profile = {"driver": "GTiff", "width": prepared.grid.width, "height": prepared.grid.height, "count": 1,
               "dtype": "float32", "crs": GRID_CRS, "transform": prepared.grid.transform, "nodata": -9999.0,
               "compress": "deflate", "predictor": 3, "tiled": True}
    with rasterio.open(path, "w", **profile) as dataset:
        dataset.write(data.astype("float32"), 1)
        dataset.set_band_description(1, description)
    return path


def provenance(scenario: EarthquakeScenario, prepared: Prepared, fields: Fields) -> str:
    inputs, rupture = prepared.inputs, prepared.rupture
    source = (f"finite rupture {rupture.length_km:.1f} × {rupture.width_km:.1f} km, top at {rupture.top_km:.1f} km, strike "
              f"{inputs.strike:g}°, dip {inputs.dip:g}°") if inputs.finite else "point source"
    percentile = {0.0: "median", -1.0: "16th percentile", 1.0: "84th percentile"}[inputs.n_sigma]
    who = scenario.created_by.get_username() if scenario.created_by else "the system"
    return (f"Earthquake scenario computed by this server, not an observation. Mw {inputs.magnitude:g} {inputs.mechanism}, "
            f"epicentre {inputs.lon:.4f} E {inputs.lat:.4f} N, depth {inputs.depth_km:g} km, {source}; "
            f"{MODELS[inputs.model].name} ({percentile}, σ {fields.sigma_ln:.3f} ln), {prepared.site_note}; MMI from PGA by "
            f"Worden et al. 2012; grid {prepared.grid.cell_m:g} m in {GRID_CRS}. Created by {who} on "
            f"{scenario.created_at:%Y-%m-%d %H:%M} UTC (scenario {scenario.pk}). {LABEL}")


def scenario_store(*, scenario: EarthquakeScenario, prepared: Prepared, fields: Fields) -> EarthquakeScenario:
    """The PGA and MMI rasters registered as hazard layers of kind eq_scenario, and the results, all at once."""
    started = timezone.now()
    text = provenance(scenario, prepared, fields)
    with tempfile.TemporaryDirectory(prefix="scenario-") as folder:
        pga_path = _write(Path(folder) / "pga.tif", fields.pga, prepared, "PGA (g), scenario")
        mmi_path = _write(Path(folder) / "mmi.tif", fields.mmi, prepared, "MMI (Worden et al. 2012), scenario")
        with transaction.atomic():
            locked = EarthquakeScenario.objects.select_for_update().filter(pk=scenario.pk).first()
            if locked is None:
                return scenario
            common = dict(kind=SCENARIO_KIND, provenance=text, licence="CC BY 4.0, computed by this server")
            raster_import(path=pga_path, commit=True, spec=LayerSpec(
                slug=f"scenario-{scenario.pk}-pga", title_el=f"Σενάριο σεισμού: {scenario.name} (PGA)",
                title_en=f"Earthquake scenario: {scenario.name} (PGA)", units="g", thresholds=PGA_THRESHOLDS, **common))
            raster_import(path=mmi_path, commit=True, spec=LayerSpec(
                slug=f"scenario-{scenario.pk}-mmi", title_el=f"Σενάριο σεισμού: {scenario.name} (ένταση MMI)",
                title_en=f"Earthquake scenario: {scenario.name} (intensity, MMI)", units="MMI", thresholds=MMI_THRESHOLDS, **common))
            locked.pga_layer = HazardLayer.objects.get(slug=f"scenario-{scenario.pk}-pga")
            locked.mmi_layer = HazardLayer.objects.get(slug=f"scenario-{scenario.pk}-mmi")
            locked.status, locked.finished_at = EarthquakeScenario.Status.DONE, timezone.now()
            rupture = prepared.rupture
            locked.results = {
                "label": LABEL, "model": MODELS[prepared.inputs.model].name, "sigma_ln": fields.sigma_ln,
                "site": prepared.site_note, "grid": prepared.grid.as_dict(), "max_rjb_km": round(fields.max_rjb_km, 2),
                "rupture": {"length_km": round(rupture.length_km, 2), "width_km": round(rupture.width_km, 2),
                            "top_km": round(rupture.top_km, 2), "area_from": "Wells & Coppersmith 1994, aspect ratio 1.5"},
                "pga_g": {"max": float(fields.pga.max()), "mean": float(fields.pga.mean())},
                "districts": fields.districts,
                "timings_s": {"read": round(prepared.read_s, 3), "compute": round(fields.compute_s, 3),
                              "store": round((timezone.now() - started).total_seconds(), 3)},
            }
            locked.save()
    return locked


def scenario_delete(*, scenario: EarthquakeScenario) -> None:
    """The scenario, its two layers and their raster files, together (the files once the rows are gone)."""
    layers = [layer for layer in (scenario.pga_layer, scenario.mmi_layer) if layer is not None]
    layers += list(HazardLayer.objects.filter(slug__in=[f"scenario-{scenario.pk}-pga", f"scenario-{scenario.pk}-mmi"])
                   .exclude(pk__in=[layer.pk for layer in layers]))
    paths = [Path(settings.HAZARD_DATA_DIR) / layer.raster_path for layer in layers if layer.raster_path]
    with transaction.atomic():
        EarthquakeScenario.objects.filter(pk=scenario.pk).delete()
        HazardLayer.objects.filter(pk__in=[layer.pk for layer in layers]).delete()
        transaction.on_commit(lambda: [path.unlink(missing_ok=True) for path in paths])
