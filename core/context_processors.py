"""The configuration every page hands its scripts: language, basemap and the area maps may show, the URLs of the
offline basemap's layers (registered by the app that serves each, with register_offline_layer in its
AppConfig.ready())."""
from django.conf import settings
from django.middleware.csrf import get_token
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation

from . import basemap_surface

_OFFLINE_LAYERS: dict[str, str] = {}


def register_offline_layer(key: str, url_name: str) -> None:
    """A layer the offline basemap draws (site.js reads `offline[key]`), served at the named URL."""
    _OFFLINE_LAYERS[key] = url_name


def site_config(request) -> dict:
    """`site_config`, rendered by core/base.html as the JSON block #site-config (read by site.js and map.js)."""
    center = settings.LEAFLET_CONFIG.get("DEFAULT_CENTER", (40.6233, 22.9537))
    extent = basemap_surface.extent()
    return {
        "site_config": {
            "lang": translation.get_language() or settings.LANGUAGE_CODE,
            "csrfToken": get_token(request),
            "basemap": {
                "url": settings.BASEMAP_TILES_URL,
                "attribution": settings.BASEMAP_ATTRIBUTION,
                "maxZoom": settings.LEAFLET_CONFIG.get("MAX_ZOOM", 19),
                # the extent of the land-and-sea data, [[south, west], [north, east]]: the maps stay inside it
                "bounds": [[extent[1], extent[0]], [extent[3], extent[2]]] if extent else None,
            },
            "center": list(center),
            "zoom": settings.LEAFLET_CONFIG.get("DEFAULT_ZOOM", 13),
            "homeMunicipality": settings.HOME_MUNICIPALITY_CODE,
            "boundaryAttribution": settings.BOUNDARY_ATTRIBUTION,
            "offline": {
                **{key: reverse(url_name) for key, url_name in _OFFLINE_LAYERS.items()},
                "coastline": static(settings.BASEMAP_COASTLINE) if settings.BASEMAP_COASTLINE else "",
            },
        }
    }
