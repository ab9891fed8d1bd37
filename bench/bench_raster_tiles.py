"""Raster hazard tiles by window: a generated 20,000 × 20,000 GeoTIFF (1 m pixels in the Greek Grid, imported
as any raster is: tiled, ZSTD, overviews) against the demo PGA raster, served by one gunicorn worker.

Measured: tile latency (p50/p95) of each layer over zooms that read full resolution and overviews, and the
worker's resident memory (VmRSS, and the peak VmHWM) before and after N tiles of the large raster. The peer,
in the same run: the former way of making a tile (read the whole band, warp it to the tile) on the same
files, one tile in a child process, for its time and peak memory.

    bench/run.sh raster_tiles              # the full sizes (a few minutes: generating the raster dominates)
    .venv/bin/python bench/bench_raster_tiles.py --smoke   # 1,000 × 1,000, 20 tiles, seconds; any DATABASE_URL

Targets: large-raster tile p95 within 1.5× of the demo raster's tile p95; worker memory flat (peak RSS after
the large-raster tiles within 100 MB of the peak before them)."""
import argparse
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

if "BENCH_PORT" not in os.environ:  # a free loopback port: other benchmarks may be running
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        os.environ["BENCH_PORT"] = str(probe.getsockname()[1])
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import PORT, ROOT, load, production_env, save, summary_ms, wait_until_up  # noqa: E402

LARGE_SLUG, DEMO_SLUG = "bench-large-raster", "bench-demo-raster"
ORIGIN = (400_000.0, 4_510_000.0)  # the Greek Grid's corner of the generated raster, over Thessaloniki
PEER = textwrap.dedent("""
    import resource, sys, time
    import numpy as np, rasterio
    from rasterio.enums import Resampling
    from rasterio.transform import from_bounds
    from rasterio.warp import reproject
    path, band, west, south, east, north = sys.argv[1], int(sys.argv[2]), *map(float, sys.argv[3:7])
    start = time.perf_counter()
    with rasterio.open(path) as source:
        values = np.full((256, 256), np.nan, dtype="float32")
        reproject(source=source.read(band), destination=values, src_transform=source.transform, src_crs=source.crs,
                  src_nodata=source.nodata, dst_transform=from_bounds(west, south, east, north, 256, 256),
                  dst_crs="EPSG:3857", dst_nodata=np.nan, resampling=Resampling.nearest)
    print(time.perf_counter() - start, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
""")


def setup(smoke: bool, data_dir: Path):
    """Django on the given database (the bench database, or any in smoke mode), hazard files in data_dir."""
    os.environ["HAZARD_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gis_portal.settings.dev")
    if not smoke and "gis_portal_bench" not in os.environ.get("DATABASE_URL", ""):
        raise SystemExit("run through bench/run.sh raster_tiles: it needs DATABASE_URL on gis_portal_bench")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def generate(path: Path, size: int) -> Path:
    """A smooth hazard-like field (0 to 0.5 g, two scales of waves) written strip by strip: never whole in memory."""
    import numpy as np
    import rasterio
    from rasterio.transform import from_origin
    from rasterio.windows import Window

    pixel = 20_000 / size  # 20 km a side whatever the size
    profile = {"driver": "GTiff", "width": size, "height": size, "count": 1, "dtype": "float32", "crs": "EPSG:2100",
               "transform": from_origin(*ORIGIN, pixel, pixel), "nodata": -9999.0, "tiled": True,
               "blockxsize": 512, "blockysize": 512, "compress": "deflate", "predictor": 3, "BIGTIFF": "IF_SAFER"}
    columns = np.arange(size, dtype="float32") * pixel
    with rasterio.open(path, "w", **profile) as dataset:
        for top in range(0, size, 512):
            rows = np.arange(top, min(top + 512, size), dtype="float32")[:, None] * pixel
            block = 0.25 + 0.15 * np.sin(columns / 1500) * np.cos(rows / 2100) + 0.08 * np.sin((columns + rows) / 230)
            block = np.round(block, 3).astype("float32")
            if top == 0:
                block[:, : size // 10] = -9999.0  # a nodata strip on the west of the first rows
            dataset.write(block, 1, window=Window(0, top, size, block.shape[0]))
    return path


def start_server(env):
    """One gunicorn sync worker with the production settings, run by this interpreter (its packages)."""
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "gis_portal.wsgi", "--bind", f"127.0.0.1:{PORT}",
                               "--workers", "1", "--worker-class", "sync", "--log-level", "warning"], cwd=ROOT, env=env)
    wait_until_up(server, PORT, "gunicorn")
    return server


def register(path: Path, slug: str):
    from hazards.models import HazardLayer
    from hazards.services import LayerSpec, raster_import

    HazardLayer.objects.filter(slug=slug).delete()
    spec = LayerSpec(slug=slug, kind="earthquake", title_el="Δοκιμή", title_en="Benchmark raster", units="g",
                     provenance="generated by bench/bench_raster_tiles.py", licence="CC0",
                     thresholds=(0.1, 0.2, 0.3, 0.4), district_min_share=0.05)
    raster_import(path=path, spec=spec, commit=True)
    return HazardLayer.objects.get(slug=slug)


def tiles_over(layer, zooms, count, rng):
    """`count` tiles at the given zooms whose centres are inside the layer's extent."""
    import morecantile

    tms = morecantile.tms.get("WebMercatorQuad")
    west, south, east, north = layer.extent.extent
    return [(z, *tms.tile(rng.uniform(west, east), rng.uniform(south, north), z)[:2])
            for z in (rng.choice(zooms) for _ in range(count))]


def interleaved(demo_tiles, large_tiles, seconds):
    """One client asking for a demo tile, then a large-raster tile, in turn, for `seconds`: both see the same
    machine load (other work on the same cores slows both alike). Returns both latency lists and error counts."""
    import http.client

    times, errors = ([], []), [0, 0]
    stop_at, index = time.perf_counter() + seconds, 0
    while time.perf_counter() < stop_at:
        for which, (slug, tiles) in enumerate(((DEMO_SLUG, demo_tiles), (LARGE_SLUG, large_tiles))):
            z, x, y = tiles[index % len(tiles)]
            started = time.perf_counter()
            connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
            connection.request("GET", f"/api/hazards/{slug}/tiles/{z}/{x}/{y}.png")
            response = connection.getresponse()
            response.read()
            connection.close()
            if response.status == 200:
                times[which].append(time.perf_counter() - started)
            else:
                errors[which] += 1
        index += 1
    return times[0], times[1], errors


def worker_memory(server) -> dict:
    """VmRSS and VmHWM (peak) of the gunicorn worker, in MB."""
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    status = Path(f"/proc/{children[0]}/status").read_text().splitlines()
    found = {line.split(":")[0]: int(line.split()[1]) / 1024 for line in status if line.startswith(("VmRSS", "VmHWM"))}
    return {"rss_mb": round(found["VmRSS"], 1), "peak_rss_mb": round(found["VmHWM"], 1)}


def peer(layer, tile, data_dir: Path) -> dict:
    """The former tile: the whole band read and warped, in a child process (its time and peak memory)."""
    import morecantile

    bounds = morecantile.tms.get("WebMercatorQuad").xy_bounds(morecantile.Tile(x=tile[1], y=tile[2], z=tile[0]))
    result = subprocess.run([sys.executable, "-c", PEER, str(data_dir / layer.raster_path), str(layer.band),
                             *map(str, bounds)], capture_output=True, text=True, check=True, timeout=900)
    seconds, peak_kb = result.stdout.split()
    return {"one_tile_ms": round(float(seconds) * 1000, 1), "peak_rss_mb": round(int(peak_kb) / 1024, 1)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="1,000 × 1,000 raster, 20 tiles: seconds")
    args = parser.parse_args()
    size, count = (1000, 20) if args.smoke else (int(os.environ.get("BENCH_RASTER_SIZE", "20000")),
                                                 int(os.environ.get("BENCH_TILES", "400")))
    work = Path(tempfile.mkdtemp(prefix="bench-raster-tiles-"))
    data_dir = work / "hazards"
    setup(args.smoke, data_dir)
    from hazards import demo_data
    from hazards.models import HazardLayer

    results = {"raster_px": f"{size} x {size}", "tiles_per_layer": count}
    server = None
    try:
        started = time.perf_counter()
        large_source = generate(work / "large-source.tif", size)
        results["generate_s"] = round(time.perf_counter() - started, 1)
        started = time.perf_counter()
        large = register(large_source, LARGE_SLUG)
        results["import_s (tiled, ZSTD, overviews)"] = round(time.perf_counter() - started, 1)
        (work / "demo").mkdir()
        demo = register(demo_data.pga_raster(work / "demo"), DEMO_SLUG)
        rng = random.Random(11)
        demo_tiles = tiles_over(demo, (12, 13, 14, 15), count, rng)
        large_tiles = tiles_over(large, (10, 11, 12, 13, 14, 15, 16, 17), count, rng)

        env = production_env()
        env["HAZARD_DATA_DIR"] = str(data_dir)
        server = start_server(env)

        def requests(slug, tiles):
            queue = iter(tiles * 1000)
            return lambda _rng: ("GET", "/api/hazards/{}/tiles/{}/{}/{}.png".format(slug, *next(queue)), None, {}, 200)

        load(1, requests(DEMO_SLUG, demo_tiles[:5]), 1 if args.smoke else 3)  # warm the worker on the demo raster
        results["worker_memory_before"] = worker_memory(server)
        seconds = 2 if args.smoke else 40
        demo_times, large_times, errors_seen = interleaved(demo_tiles, large_tiles, seconds)
        results["demo raster tile (431 x 470 px), 1 client"] = {**summary_ms(demo_times), "errors": errors_seen[0]}
        results["large raster tile, 1 client"] = {**summary_ms(large_times), "errors": errors_seen[1]}
        results["worker_memory_after_large_tiles"] = worker_memory(server)
        results["large raster tile, 4 clients"] = load(4, requests(LARGE_SLUG, large_tiles), seconds)
        results["worker_memory_after_4_clients"] = worker_memory(server)
        errors = sum(results[key]["errors"] for key in results if isinstance(results[key], dict) and "errors" in results[key])

        demo_p95 = results["demo raster tile (431 x 470 px), 1 client"]["p95_ms"]
        large_p95 = results["large raster tile, 1 client"]["p95_ms"]
        growth = results["worker_memory_after_4_clients"]["peak_rss_mb"] - results["worker_memory_before"]["peak_rss_mb"]
        results["targets"] = {
            "large_p95_over_demo_p95": round(large_p95 / demo_p95, 2), "p95_within_1.5x": large_p95 <= 1.5 * demo_p95,
            "peak_rss_growth_mb": round(growth, 1), "memory_flat (< 100 MB)": growth < 100,
        }
        results["peer: whole band read and warped (former code), one tile of the large raster"] = peer(large, large_tiles[0], data_dir)
        results["peer: the same on the demo raster"] = peer(demo, demo_tiles[0], data_dir)
        results["rss_of_one_band_mb (float32)"] = round(size * size * 4 / 2**20, 1)
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=10)
        HazardLayer.objects.filter(slug__in=[LARGE_SLUG, DEMO_SLUG]).delete()
        shutil.rmtree(work, ignore_errors=True)
    save("raster_tiles_smoke" if args.smoke else "raster_tiles", results)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
