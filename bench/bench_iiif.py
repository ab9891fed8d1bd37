"""IIIF image tiles: ours (the level-0 pyramid that heritage/iiif/pyramids.py cuts, sent as files by nginx as in
production, and through Django under gunicorn as `make run` serves it) beside IIPImage's iipsrv (Debian's
iipimage-server: FastCGI on a loopback port behind the same nginx, reading a tiled pyramidal TIFF of the same
image that libvips writes), on the same IIIF tile URLs in one run: p50/p95 and requests per second at each
concurrency. Also ingesting a generated 20,000 × 20,000 px JPEG into our pyramid: time and peak memory (the
ingest runs in a child process of its own, whose peak resident size the kernel reports), beside libvips' pyramidal
TIFF for iipsrv.

iipsrv is taken from Debian's package for this run only: the .deb is fetched with `apt-get download` and unpacked
in the run's temporary folder (its libraries are installed with apt-get; no service is installed or started);
nothing is left installed as a server. Smoke mode (`--smoke`): a 700 px image, one second per target, and iipsrv
only when it is already installed (a note says so otherwise).

Run: bash bench/run.sh iiif
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT, SMOKE, free_port, production_env, run_clients, save, sized, smoke_check, start_server, \
    stop_server, summary_ms

sys.path.insert(0, str(ROOT))
SIZE = sized(20_000, 700)
CONCURRENCY = sized([1, 8], [1])
SECONDS = sized(float(os.environ.get("BENCH_SECONDS", "10")), 1.0)
IDENTIFIER = "bench-1"
IIPSRV_INSTALLED = Path("/usr/lib/iipimage-server/iipsrv.fcgi")
IIPSRV_LIBRARIES = ["libfcgi0ldbl", "libmemcached11", "libopenjp2-7", "libtiff6", "libjpeg62-turbo", "libgomp1"]

INGEST = """
import json, os, sys, time
sys.path.insert(0, {root!r})
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gis_portal.settings.dev")
import django
django.setup()
from pathlib import Path
from heritage.iiif import pyramids
start = time.perf_counter()
info = pyramids.build(Path({source!r}), {identifier!r}, rights="http://creativecommons.org/publicdomain/zero/1.0/")
print(json.dumps({{"seconds": time.perf_counter() - start, "info": info}}))
"""
PEER_INGEST = """
import json, sys, time
import pyvips
start = time.perf_counter()
image = pyvips.Image.new_from_file({source!r}, access="sequential")
image.tiffsave({target!r}, tile=True, pyramid=True, compression="jpeg", Q=85, tile_width=256, tile_height=256)
print(json.dumps({{"seconds": time.perf_counter() - start}}))
"""
NGINX = """
worker_processes 2;
error_log {folder}/nginx-error.log;
pid {folder}/nginx.pid;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {folder}/nginx-body;
    proxy_temp_path {folder}/nginx-proxy;
    fastcgi_temp_path {folder}/nginx-fastcgi;
    uwsgi_temp_path {folder}/nginx-uwsgi;
    scgi_temp_path {folder}/nginx-scgi;
    types {{ image/jpeg jpg; application/json json; }}
    server {{
        listen 127.0.0.1:{port};
        location = /healthz {{ return 200; }}
        location /iiif/3/ {{ alias {pyramids}/; }}
        location /fcgi-bin/iipsrv.fcgi {{
            fastcgi_pass 127.0.0.1:{iip_port};
            fastcgi_param QUERY_STRING $query_string;
            fastcgi_param REQUEST_METHOD $request_method;
            fastcgi_param REQUEST_URI $request_uri;
            fastcgi_param SERVER_NAME $server_name;
            fastcgi_param SERVER_PORT $server_port;
            fastcgi_param SERVER_PROTOCOL $server_protocol;
            fastcgi_param HTTP_HOST $host;
        }}
    }}
}}
"""


def generated_image(path: Path, size: int) -> None:
    """A size × size JPEG of smooth colour bands and fine stripes (tiles differ; nothing is downloaded)."""
    import pyvips

    xy = pyvips.Image.xyz(size, size)
    x, y = xy[0], xy[1]
    image = ((x * 255 / size).bandjoin([y * 255 / size, ((x + y) % 97) * 2.5])).cast("uchar")
    image.jpegsave(str(path), Q=90)


def child(code: str) -> tuple[dict, float]:
    """Run Python code in a child process: what it printed (JSON) and its peak resident size in MiB."""
    process = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.PIPE, env=os.environ.copy())
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"child process failed ({process.returncode})")
    return json.loads(output.decode().strip().splitlines()[-1]), usage.ru_maxrss / 1024


def iipsrv_binary(folder: Path) -> Path | None:
    """Debian's iipsrv: the installed one, or (full runs) the package unpacked in the run's folder."""
    if IIPSRV_INSTALLED.exists():
        return IIPSRV_INSTALLED
    if SMOKE or shutil.which("apt-get") is None:
        return None
    subprocess.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", *IIPSRV_LIBRARIES],
                   check=True, stdout=subprocess.DEVNULL, env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
    subprocess.run(["apt-get", "download", "iipimage-server"], cwd=folder, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    package = next(folder.glob("iipimage-server_*.deb"))
    subprocess.run(["dpkg-deb", "-x", str(package), str(folder / "iipimage")], check=True)
    return folder / "iipimage" / "usr" / "lib" / "iipimage-server" / "iipsrv.fcgi"


def tile_paths(info: dict) -> list[str]:
    """Every tile of the pyramid, as the IIIF path after the image's base URI."""
    from heritage.iiif import pyramids  # its cutting arithmetic only: no settings are read

    tile = info["tiles"][0]["width"]
    paths = []
    for level in pyramids.levels(info["width"], info["height"], tile):
        for region, w, h, _, _ in pyramids.tiles(info["width"], info["height"], tile, level):
            paths.append(f"{region}/{w},{h}/0/default.jpg")
    return paths


def measure(port: int, prefix: str, paths: list[str]) -> dict:
    results = {}
    for concurrency in CONCURRENCY:
        def make_request(rng):
            return "GET", prefix + rng.choice(paths), None, {}, 200
        latencies, errors, elapsed = run_clients(concurrency, make_request, SECONDS, port)
        result = summary_ms(latencies)
        result.update({"requests_per_s": round(len(latencies) / elapsed, 1), "errors": len(errors),
                       "error_examples": sorted({str(e) for e in errors})[:3]})
        smoke_check(not errors and bool(latencies), f"{prefix}: errors {result['error_examples']}")
        results[f"concurrency {concurrency}"] = result
    return results


def main():
    folder = Path(tempfile.mkdtemp(prefix="bench-iiif-"))
    os.chmod(folder, 0o755)  # nginx's workers read the pyramid and the TIFF
    pyramid_root = folder / "pyramids"
    os.environ["HERITAGE_IIIF_ROOT"] = str(pyramid_root)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gis_portal.settings.dev")
    servers, nginx = [], None
    try:
        source = folder / "source.jpg"
        started = time.perf_counter()
        generated_image(source, SIZE)
        generated_s = time.perf_counter() - started
        ingest, ingest_peak = child(INGEST.format(root=str(ROOT), source=str(source), identifier=IDENTIFIER))
        info = ingest["info"]
        pyramid_bytes = sum(f.stat().st_size for f in (pyramid_root / IDENTIFIER).rglob("*") if f.is_file())
        tiff = folder / "bench.tif"
        peer_ingest, peer_peak = child(PEER_INGEST.format(source=str(source), target=str(tiff)))
        paths = tile_paths(info)
        data = {
            "image": f"{SIZE} × {SIZE} px generated JPEG ({source.stat().st_size / 2**20:.1f} MiB, made in "
                     f"{generated_s:.1f} s)",
            "ingest": {"ours: level-0 pyramid (pyvips)": {
                           "seconds": round(ingest["seconds"], 2), "peak_rss_mib": round(ingest_peak, 1),
                           "files": len(paths) + len(info["sizes"]) + 2, "mib": round(pyramid_bytes / 2**20, 1)},
                       "peer: pyramidal TIFF for iipsrv (vips tiffsave)": {
                           "seconds": round(peer_ingest["seconds"], 2), "peak_rss_mib": round(peer_peak, 1),
                           "mib": round(tiff.stat().st_size / 2**20, 1)}},
            "tiles": len(paths), "tile_size": info["tiles"][0]["width"], "tile_requests": {},
        }

        iipsrv = iipsrv_binary(folder)
        iip_port, nginx_port = free_port(), free_port()
        if iipsrv is not None:
            servers.append(subprocess.Popen(
                [str(iipsrv), "--bind", f"127.0.0.1:{iip_port}", "--backlog", "1024"], cwd=folder,
                env={**os.environ, "FILESYSTEM_PREFIX": f"{folder}/", "VERBOSITY": "0", "JPEG_QUALITY": "85",
                     "MAX_IMAGE_CACHE_SIZE": "64", "LOGFILE": str(folder / "iipsrv.log")},
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        else:
            print("note: iipsrv is not installed, so the peer is left out of this run "
                  "(a full run fetches Debian's iipimage-server for itself)")
        if shutil.which("nginx"):
            (folder / "nginx.conf").write_text(NGINX.format(folder=folder, port=nginx_port, pyramids=pyramid_root,
                                                            iip_port=iip_port))
            nginx = subprocess.Popen(["nginx", "-c", str(folder / "nginx.conf"), "-p", str(folder), "-g",
                                      "daemon off;"], stderr=subprocess.DEVNULL)
            time.sleep(0.5)
            data["tile_requests"]["ours: static files through nginx"] = measure(nginx_port, f"/iiif/3/{IDENTIFIER}/", paths)
            if iipsrv is not None:
                data["tile_requests"]["peer: iipsrv (FastCGI) through nginx"] = measure(
                    nginx_port, "/fcgi-bin/iipsrv.fcgi?IIIF=bench.tif/", paths)
        else:
            print("note: nginx is not installed: static serving and iipsrv are left out")
        env = production_env()
        env["HERITAGE_IIIF_ROOT"] = str(pyramid_root)
        django_port = free_port()
        gunicorn = start_server(env, port=django_port)
        servers.append(gunicorn)
        data["tile_requests"]["ours: Django view under gunicorn"] = measure(django_port, f"/iiif/3/{IDENTIFIER}/", paths)
        save("iiif", data)
    finally:
        for server in servers:
            stop_server(server)
        if nginx is not None:
            nginx.terminate()
            nginx.wait()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
