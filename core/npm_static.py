"""Chosen files of npm packages, served as static files under core/vendor/ (no CDN), as Debian's are
(core/debian_static.py). The packages are pinned in package.json and package-lock.json and installed into
node_modules/ by `make vendor` (npm ci, without install scripts); only the files listed here are served (and copied
by collectstatic)."""
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.finders import BaseFinder
from django.core.files.storage import FileSystemStorage

from .debian_static import DebianJavascriptFinder

# static prefix -> (npm package, folder inside the package, files)
PACKAGES = {
    "core/vendor/pannellum": ("pannellum", "build", ["pannellum.js", "pannellum.css"]),
    "core/vendor/model-viewer": ("@google/model-viewer", "dist", ["model-viewer.min.js", "model-viewer.min.js.map"]),
}


class NpmPackageFinder(DebianJavascriptFinder):
    """A staticfiles finder for the files in PACKAGES, read from NODE_MODULES (node_modules/ of the project)."""

    def __init__(self, *args, root: Path | None = None, **kwargs):
        BaseFinder.__init__(self, *args, **kwargs)
        root = Path(root or getattr(settings, "NODE_MODULES", settings.BASE_DIR / "node_modules"))
        self.storages = {}
        for prefix, (package, folder, files) in PACKAGES.items():
            storage = FileSystemStorage(location=str(root / package / folder))
            storage.prefix = prefix
            self.storages[prefix] = (storage, files)

    check_id = "core.W002"

    def install_hint(self, prefix: str) -> str:
        return f"install the npm package {PACKAGES[prefix][0]} with `make vendor` (make run and make test do)"
