"""The strict Content-Security-Policy the site's pages must work under, sent by the browser tests' server."""
from urllib.parse import urlsplit

from django.conf import settings


def strict_policy() -> str:
    images = ["'self'", "data:", "blob:"]
    tiles = urlsplit(settings.BASEMAP_TILES_URL)
    if tiles.scheme in ("http", "https") and tiles.netloc:
        images.append(f"{tiles.scheme}://{tiles.netloc}")
    return "; ".join([
        "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src " + " ".join(images),
        "connect-src 'self'", "font-src 'self'", "object-src 'none'", "base-uri 'self'", "form-action 'self'",
        "frame-ancestors 'none'",
    ])


class StrictContentSecurityPolicy:
    """Adds the policy to every answer that has none (a deployment's own policy, once added, is left alone)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = strict_policy()

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.policy)
        return response
