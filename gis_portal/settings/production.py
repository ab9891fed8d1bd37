"""Production settings: every secret and host from the environment, HTTPS-only cookies and HSTS."""
from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F401,F403
from .base import SECRET_KEY
from .env import env_bool, env_int, env_list, env_str

DEBUG = False
if SECRET_KEY.startswith("dev-only") or len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
    raise ImproperlyConfigured("SECRET_KEY must be set to a random value of at least 50 characters")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [])
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must list the host names the server answers to")

# The demo's sign-in accounts have passwords printed on a screen: never here, whatever the environment says.
DEMO_ACCOUNTS = False

# WhiteNoise answers static files itself, so it comes after the middleware that set the security headers.
MIDDLEWARE = with_whitenoise(MIDDLEWARE)  # noqa: F405
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
# Load balancers probe the health check over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# nginx sends the download files (deploy/nginx/gis-portal-locations.conf, `location /_downloads/`): a gunicorn
# worker answers with X-Accel-Redirect instead of streaming hundreds of MB. Set it to "" without nginx in front.
DOWNLOADS_ACCEL_REDIRECT_PREFIX = env_str("DOWNLOADS_ACCEL_REDIRECT_PREFIX", "/_downloads/")
