"""folium maps for the server-generated printable pages, with every asset from this server.

folium's Map asks by default for Leaflet, jQuery, Bootstrap, Font Awesome and awesome-markers from CDNs. Here
Leaflet and its CSS are django-leaflet's files, served by this server under absolute URLs (a saved copy of a
page still loads them from here); the rest is dropped: these maps use no popup (folium's need jQuery), no
awesome-marker icon and no Bootstrap. Texts in tooltips go through `tooltip_text`, since folium puts them in
a JavaScript template literal unescaped.

The page around the map is a Django template (core/printable_map.html): folium's header, map element and
script are rendered into it (`map_parts`), so the page has its language, translations and escaped tables.
folium writes the map as an inline <script> and <style>: they carry the response's CSP nonce (`add_nonce`), which
django-csp then names in the header; nothing else inline runs. The offline basemap (when no tile server is set) is
drawn by the caller (`offline_basemap`): the reference geography lives above this floor.
"""
import re
from typing import Callable

import folium
from django.conf import settings
from django.templatetags.static import static
from django.utils import timezone
from django.utils.html import escape

from django.utils.translation import gettext as _

MAP_HEIGHT_PX = 460


def _absolute_static(request, path: str) -> str:
    return request.build_absolute_uri(static(path))


def printable_map(request, *, bounds: tuple[float, float, float, float] | None = None,
                  offline_basemap: Callable[[folium.Map], None] | None = None) -> folium.Map:
    """A folium map (Leaflet from this server) with the basemap of the site's maps: the BASEMAP_TILES_URL tiles,
    or, when that is empty, what `offline_basemap(fmap)` draws. bounds: (west, south, east, north) to fit."""
    center = settings.LEAFLET_CONFIG.get("DEFAULT_CENTER", (40.6233, 22.9537))
    fmap = folium.Map(location=list(center), zoom_start=settings.LEAFLET_CONFIG.get("DEFAULT_ZOOM", 13), tiles=None,
                      height=MAP_HEIGHT_PX, control_scale=True, prefer_canvas=False)
    fmap.default_js = [("leaflet", _absolute_static(request, "leaflet/leaflet.js"))]
    fmap.default_css = [("leaflet_css", _absolute_static(request, "leaflet/leaflet.css"))]
    if settings.BASEMAP_TILES_URL:
        folium.TileLayer(tiles=settings.BASEMAP_TILES_URL, attr=settings.BASEMAP_ATTRIBUTION, name=_("Basemap"),
                         max_zoom=settings.LEAFLET_CONFIG.get("MAX_ZOOM", 19)).add_to(fmap)
    elif offline_basemap is not None:
        offline_basemap(fmap)
    if bounds is not None:
        west, south, east, north = bounds
        fmap.fit_bounds([[south, west], [north, east]])
    return fmap


def tooltip_text(*lines: str) -> str:
    """Tooltip HTML from plain text lines: escaped for HTML, and for the JavaScript template literal folium puts it in."""
    html = "<br>".join(escape(str(line)) for line in lines if line not in (None, ""))
    return html.replace("\\", "&#92;").replace("`", "&#96;").replace("$", "&#36;")


def map_parts(request, fmap: folium.Map) -> dict:
    """The context of core/printable_map.html: folium's header (asset links, map CSS), map element and script,
    the page's print styles and the time it was made."""
    figure = fmap.get_root()
    figure.render()
    return {"map_header": add_nonce(figure.header.render(), request), "map_html": figure.html.render(), "map_script": figure.script.render(),
            "stylesheets": [_absolute_static(request, "core/levels.css"), _absolute_static(request, "core/printable.css")],
            "generated_at": timezone.now(), "boundary_attribution": settings.BOUNDARY_ATTRIBUTION}


_OPENING_TAG = re.compile(r"<(script|style)\b(?![^>]*\bnonce=)", re.IGNORECASE)


def add_nonce(html: str, request) -> str:
    """Put this request's CSP nonce on every <script> and <style> tag of a page the server generated itself
    (a folium map). Only for trusted HTML: text from users must be escaped before it gets here."""
    return _OPENING_TAG.sub(lambda m: f'<{m.group(1)} nonce="{request.csp_nonce}"', html)
