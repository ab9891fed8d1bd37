"""Hazard queries: point profile and raster tile latency against gunicorn (production settings), and area
statistics of the six districts over every raster against rasterstats' zonal_stats (the peer) in the same run."""
import json
import os
import random
import sys
import time

from common import (load, production_env, save, setup_django, sized, smoke_check, start_server, stop_server, summary_ms,
                    tile_of)

SECONDS = sized(float(os.environ.get("BENCH_SECONDS", "10")), 0.5)
REPEATS = sized(int(os.environ.get("BENCH_REPEATS", "20")), 1)


def area_comparison():
    """Ours (one masked read per district and raster, NumPy statistics) against rasterstats on the same inputs."""
    setup_django()
    import rasterio
    from django.conf import settings
    from rasterio.warp import transform_geom
    from rasterstats import zonal_stats

    from hazards.models import HazardLayer
    from hazards.selectors import area_statistics
    from layers.models import District

    districts = list(District.objects.order_by("code"))[:sized(None, 2)]
    rasters = list(HazardLayer.objects.filter(source="raster"))
    ours_times, peer_times, differences = [], [], []
    for _ in range(REPEATS):
        start = time.perf_counter()
        ours = {(d.code, s.layer.slug): s.statistics for d in districts for s in area_statistics(d.geom, layers=rasters)}
        ours_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        peer = {}
        for layer in rasters:
            path = settings.HAZARD_DATA_DIR / layer.raster_path
            with rasterio.open(path) as dataset:
                crs = dataset.crs
            shapes = [transform_geom("EPSG:4326", crs, json.loads(d.geom.json)) for d in districts]
            results = zonal_stats(shapes, str(path), stats="min mean max percentile_10 percentile_50 percentile_90",
                                  nodata=layer.nodata)
            for district, stats in zip(districts, results):
                peer[(district.code, layer.slug)] = stats
        peer_times.append(time.perf_counter() - start)
    smoke_check(bool(ours) and ours.keys() == peer.keys(), f"area statistics of {len(districts)} districts x {len(rasters)} rasters")
    for key, stats in ours.items():
        differences.append(abs(stats["mean"] - peer[key]["mean"]) / abs(peer[key]["mean"]))
    return {
        "districts_x_rasters": len(districts) * len(rasters),
        "ours_all_six_districts_all_rasters": summary_ms(ours_times),
        "peer_rasterstats_zonal_stats": summary_ms(peer_times),
        "largest_relative_difference_of_means": round(max(differences), 6),
    }


def main():
    results = {"area_statistics": area_comparison()}
    env = production_env()
    rng_points = random.Random(5)
    points = [(rng_points.uniform(22.915, 22.980), rng_points.uniform(40.595, 40.645)) for _ in range(500)]
    tiles = []
    for z in (12, 13, 14, 15):
        for lon, lat in points[:40]:
            tiles.append((z, *tile_of(lon, lat, z)))

    def profile(rng):
        lon, lat = rng.choice(points)
        return "GET", f"/api/hazards/profile?lat={lat}&lon={lon}", None, {}, 200

    def tile(rng):
        z, x, y = rng.choice(tiles)
        return "GET", f"/api/hazards/{rng.choice(['pga-475', 'urban-heat'])}/tiles/{z}/{x}/{y}.png", None, {}, 200

    def health(rng):
        return "GET", "/healthz", None, {}, 200

    server = start_server(env)
    try:
        load(2, profile, sized(2, 0.3))
        load(2, tile, sized(2, 0.3))
        for level in (1, 8):
            results[f"point profile (8 layers), {level} clients"] = load(level, profile, SECONDS)
            results[f"raster tile 256 px, {level} clients"] = load(level, tile, SECONDS)
            results[f"peer GET /healthz, {level} clients"] = load(level, health, SECONDS)
    finally:
        stop_server(server)
    save("hazards", results)


if __name__ == "__main__":
    sys.exit(main())
