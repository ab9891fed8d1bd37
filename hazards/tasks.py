"""The hazards app's background jobs: earthquake scenarios too large to compute within a request."""
from procrastinate.contrib.django import app

from core.jobs import RETRY

from .scenarios.services import scenario_compute_stored


@app.task(name="hazards.compute_scenario", queue="hazards", retry=RETRY)
def compute_scenario(*, scenario_id: int, cell_m: float | None = None) -> dict:
    scenario = scenario_compute_stored(scenario_id=scenario_id, cell_m=cell_m)
    return {"scenario": scenario_id, "status": scenario.status if scenario else "deleted"}
