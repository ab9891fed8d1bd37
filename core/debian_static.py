"""Chosen files of Debian's libjs-* packages, served as static files under core/vendor/ (no CDN), the same folder
as the browser libraries kept in the repository (core/static/core/vendor/).

scripts/install_system.sh installs the packages. Only the files listed here are served (and copied by
collectstatic), each with the source map its last line names, so a page never asks for a missing file.
"""
from pathlib import Path

from django.contrib.staticfiles.finders import BaseFinder
from django.core.checks import Warning
from django.core.files.storage import FileSystemStorage

DEBIAN_JAVASCRIPT = Path("/usr/share/javascript")

# static prefix -> (Debian package, folder under /usr/share/javascript, files)
PACKAGES = {
    "core/vendor/leaflet.markercluster": (
        "libjs-leaflet.markercluster",
        "leaflet",
        [
            "leaflet.markercluster.min.js", "leaflet.markercluster.min.js.map",
            "MarkerCluster.css", "MarkerCluster.css.map",
            "MarkerCluster.Default.css", "MarkerCluster.Default.css.map",
        ],
    ),
}


class DebianJavascriptFinder(BaseFinder):
    """A staticfiles finder for the files in PACKAGES."""

    def __init__(self, *args, root: Path = DEBIAN_JAVASCRIPT, **kwargs):
        super().__init__(*args, **kwargs)
        self.storages = {}
        for prefix, (_package, folder, files) in PACKAGES.items():
            storage = FileSystemStorage(location=str(root / folder))
            storage.prefix = prefix
            self.storages[prefix] = (storage, files)

    def check(self, **kwargs):
        problems = []
        for prefix, (storage, files) in self.storages.items():
            missing = [name for name in files if not Path(storage.path(name)).is_file()]
            if missing:
                problems.append(Warning(
                    f"{storage.location}/{missing[0]} is missing, so /static/{prefix}/ cannot be served",
                    hint=self.install_hint(prefix), id=self.check_id,
                ))
        return problems

    check_id = "layers.W001"

    def install_hint(self, prefix: str) -> str:
        return f"install the Debian package {PACKAGES[prefix][0]} (scripts/install_system.sh does)"

    def find(self, path, find_all=False, **kwargs):
        found = []
        for prefix, (storage, files) in self.storages.items():
            name = path.removeprefix(prefix + "/")
            if name != path and name in files and Path(storage.path(name)).is_file():
                if not find_all:
                    return storage.path(name)
                found.append(storage.path(name))
        return found

    def list(self, ignore_patterns):
        for _prefix, (storage, files) in self.storages.items():
            for name in files:
                if Path(storage.path(name)).is_file():
                    yield name, storage
