"""Files of Debian's libjs-* packages served as static files (marker clustering for the maps)."""
from django.contrib.staticfiles import finders

from core.debian_static import DebianJavascriptFinder


def test_marker_clustering_is_served_from_debians_package(client):
    path = finders.find("core/vendor/leaflet.markercluster/leaflet.markercluster.min.js")
    assert path == "/usr/share/javascript/leaflet/leaflet.markercluster.min.js"
    # its source map sits beside it, so a browser's developer tools never ask for a missing file
    assert finders.find("core/vendor/leaflet.markercluster/leaflet.markercluster.min.js.map")


def test_only_the_listed_files_are_served():
    finder = DebianJavascriptFinder()
    assert finder.find("core/vendor/leaflet.markercluster/leaflet.js") == []  # Debian's other Leaflet is not exposed
    assert finder.find("leaflet.markercluster.min.js") == []
    listed = sorted(name for name, _storage in finder.list([]))
    assert "leaflet.markercluster.min.js" in listed and "MarkerCluster.Default.css" in listed


def test_a_missing_package_is_a_warning_that_names_it(tmp_path):
    problems = DebianJavascriptFinder(root=tmp_path).check()
    assert [p.id for p in problems] == ["layers.W001"]
    assert "libjs-leaflet.markercluster" in problems[0].hint
