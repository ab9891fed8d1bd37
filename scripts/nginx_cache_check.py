"""Debian's nginx with the production recipe's cache (deploy/nginx/) in front of a running server, on loopback
ports: `python scripts/nginx_cache_check.py --backend http://127.0.0.1:8000` asks for a layer tile twice through
the cache and shows the second answer coming from nginx (X-Cache-Status: HIT). The tests use LocalNginx too.

The configuration is generated from the recipe itself: the http-level file (cache zone, upstream) with the
cache folder and the backend's address replaced, and a server on a free loopback port with the recipe's
locations file, its downloads folder (the internal location of X-Accel-Redirect) replaced by the check's.
The access log records what the server sent for each request ($upstream_response_length, $upstream_status)
beside what nginx sent, so a test can see that the bytes of a file came from nginx.
"""
import argparse
import http.client
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
RECIPE = ROOT / "deploy" / "nginx"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
TILE = "/ogc/collections/heritage-sites/tiles/WebMercatorQuad/12/1541/2309"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


DOWNLOADS_ALIAS = "alias /srv/gis-portal/var/downloads/;"


FORWARDED_PROTO = "proxy_set_header X-Forwarded-Proto $scheme;"


def configuration(folder: Path, port: int, backend: str, downloads: Path, scheme: str | None = None) -> str:
    """nginx.conf for this check, made from deploy/nginx/gis-portal-cache.conf and gis-portal-locations.conf.
    scheme: what nginx tells the server the client used ("https", as behind the recipe's TLS listener); by
    default the plain HTTP of this loopback server."""
    address = urlsplit(backend).netloc
    locations = (RECIPE / "gis-portal-locations.conf").read_text()
    assert DOWNLOADS_ALIAS in locations and FORWARDED_PROTO in locations, "the recipe changed: update this check"
    locations = locations.replace(DOWNLOADS_ALIAS, f"alias {downloads}/;")
    if scheme:
        locations = locations.replace(FORWARDED_PROTO, f"proxy_set_header X-Forwarded-Proto {scheme};")
    (folder / "locations.conf").write_text(locations)
    cache = (RECIPE / "gis-portal-cache.conf").read_text()
    assert "/var/cache/nginx/gis-portal " in cache and "server 127.0.0.1:8000;" in cache, "the recipe changed: update this check"
    cache = cache.replace("/var/cache/nginx/gis-portal ", f"{folder / 'cache'} ").replace(
        "server 127.0.0.1:8000;", f"server {address};")
    temp = "\n".join(f"    {kind}_temp_path {folder / kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    # started as root, nginx's workers run as www-data (Debian's build): they write the cache and temp folders
    user = "user www-data;\n" if os.geteuid() == 0 else ""
    return f"""{user}worker_processes 1;
pid {folder / 'nginx.pid'};
error_log {folder / 'error.log'} warn;
events {{ worker_connections 256; }}
http {{
    log_format check '$request_method $request_uri $status $body_bytes_sent upstream=$upstream_status:$upstream_response_length $upstream_response_time';
    access_log {folder / 'access.log'} check;
{temp}
{cache}
    server {{
        listen 127.0.0.1:{port};
        server_name localhost;
        include {folder / 'locations.conf'};
    }}
}}
"""


class LocalNginx:
    """nginx in the foreground (its own process) on a free loopback port, in front of `backend`; stopped on exit."""

    def __init__(self, backend: str, downloads: Path | None = None, scheme: str | None = None):
        self.backend, self.scheme = backend, scheme
        self.port = free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="gis-portal-nginx-"))
        # the server's LAYER_DOWNLOAD_DIR; by default a folder of nginx's own, readable by its workers
        self.downloads = downloads or self.folder / "downloads"
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> "LocalNginx":
        self.downloads.mkdir(exist_ok=True)
        conf = self.folder / "nginx.conf"
        conf.write_text(configuration(self.folder, self.port, self.backend, self.downloads, self.scheme))
        if os.geteuid() == 0:
            shutil.chown(self.folder, "www-data")
        test = subprocess.run([NGINX, "-t", "-q", "-c", str(conf), "-p", str(self.folder)], capture_output=True, text=True)
        if test.returncode != 0:
            raise RuntimeError(f"nginx refused the generated configuration: {test.stderr}")
        self.process = subprocess.Popen([NGINX, "-c", str(conf), "-p", str(self.folder), "-g", "daemon off;"],
                                        stderr=subprocess.PIPE)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return self
            except OSError:
                if self.process.poll() is not None:
                    raise RuntimeError(f"nginx stopped: {self.process.stderr.read().decode()}")
                time.sleep(0.05)
        raise RuntimeError("nginx did not listen within 10 s")

    def __exit__(self, *exc) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        shutil.rmtree(self.folder, ignore_errors=True)

    def access_log(self) -> list[str]:
        """The access log's lines so far (format `check`: method, URI, status, bytes sent,
        upstream=status:length, the server's time in seconds).
        nginx writes a line when a request ends, before the client has read the whole answer: wait a moment."""
        path = self.folder / "access.log"
        return path.read_text().splitlines() if path.exists() else []

    def get(self, path: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request("GET", path, headers=headers or {})
            response = connection.getresponse()
            return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
        finally:
            connection.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", default="http://127.0.0.1:8000", help="the running server (make run's address)")
    parser.add_argument("--path", default=TILE, help="what to ask for twice (default: a heritage-sites tile)")
    parser.add_argument("--downloads", type=Path, default=None,
                        help="the server's LAYER_DOWNLOAD_DIR, for a download file sent by X-Accel-Redirect")
    options = parser.parse_args()
    with LocalNginx(options.backend, options.downloads) as nginx:
        answers = [nginx.get(options.path) for _ in range(2)]
    for number, (status, headers, body) in enumerate(answers, 1):
        print(f"request {number}: {status}, X-Cache-Status {headers.get('x-cache-status')}, ETag {headers.get('etag')}, "
              f"Cache-Control {headers.get('cache-control')}, {len(body)} bytes")
    ok = answers[1][1].get("x-cache-status") == "HIT" and answers[0][2] == answers[1][2]
    print("the second answer came from nginx's cache" if ok else "the second answer did NOT come from the cache")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
