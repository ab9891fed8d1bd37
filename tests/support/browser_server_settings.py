"""Settings of the server that browser tests drive: `make dev`'s settings, so the site's strict CSP
(layers/csp.py, in every configuration) applies as it does in production.

The harness (tests/support/browser.py) sets DATABASE_URL to the server's own database, BASEMAP_TILES_URL
to empty (the offline basemap, so no request leaves 127.0.0.1) and MEDIA_ROOT to a temporary folder.
"""
from gis_portal.settings.dev import *  # noqa: F401,F403
