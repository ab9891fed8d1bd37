"""Settings shared by every environment; secrets and hosts come from the environment."""
import json
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
import ldap
from csp.constants import NONCE, NONE, SELF
from django_auth_ldap.config import GroupOfNamesType, LDAPSearch

from core.connection_pool import use_pool

from .env import env_bool, env_int, env_list, env_str, url_origin

BASE_DIR = Path(__file__).resolve().parent.parent.parent

DEFAULT_DATABASE_URL = "postgis://gis_portal:gis_portal@127.0.0.1:5432/gis_portal"

SECRET_KEY = env_str("SECRET_KEY", "dev-only-insecure-key-for-127.0.0.1")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
CSRF_FAILURE_VIEW = "core.errors.csrf_failure"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.gis",
    "django.contrib.postgres",
    "rest_framework",
    "rest_framework.authtoken",
    "rest_framework_gis",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "leaflet",
    "csp",
    "axes",
    "core",
    "layers",
    "hazards",
    "issues",
    "participation",
    "heritage",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "core.request_checks.RejectNulCharactersMiddleware",
    # before the locale middleware, so that layer responses keep only the Vary they declare
    "layers.http_caching.LayerVaryMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "core.api_language.ApiLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # last of the sign-in checks: refuses a locked-out account and address before the password is checked
    "axes.middleware.AxesMiddleware",
    "core.sign_in.SignInAttemptLimitMiddleware",
    "core.outage.DatabaseUnavailableMiddleware",
    # counts visitors of the heritage portal (no cookie, no address kept) and reuse of IIIF and OAI-PMH by path
    "heritage.usage.UsageCountingMiddleware",
]

ROOT_URLCONF = "gis_portal.urls"
WSGI_APPLICATION = "gis_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.site_config",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", DEFAULT_DATABASE_URL),
        engine="django.contrib.gis.db.backends.postgis",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
# The test database is UTF-8 whatever the cluster's default (names are in Greek).
DATABASES["default"]["TEST"] = {"CHARSET": "UTF8", "TEMPLATE": "template0"}
# A database that does not answer must fail fast (the health check reports it), not hang a worker.
DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = env_int("DATABASE_CONNECT_TIMEOUT", 5)
# While the database is down, requests are answered 503 with this Retry-After (gis_portal/outage.py).
DATABASE_UNAVAILABLE_RETRY_AFTER = env_int("DATABASE_UNAVAILABLE_RETRY_AFTER", 5)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "el"
LANGUAGES = [("el", "Ελληνικά"), ("en", "English")]
# Page texts are written in English and translated in each app's locale/<lang>/LC_MESSAGES/*.po,
# compiled to .mo by `make` (compilemessages). The language comes from the cookie the switch in every
# page sets (/i18n/setlang/), else the browser's Accept-Language, else Greek.
TIME_ZONE = "Europe/Athens"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Page assets come from installed packages only: each app's static/ (django-leaflet's Leaflet among them)
# and chosen files of Debian's libjs-* packages (marker clustering), never a CDN.
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "core.debian_static.DebianJavascriptFinder",
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
# Uploaded photos served by this server (make run, make dev); in production the web server in front serves /media/.
SERVE_MEDIA = False


def with_whitenoise(middleware: list[str]) -> list[str]:
    """The middleware with WhiteNoise answering static files, after the middleware that set the security headers."""
    after = middleware.index("csp.middleware.CSPMiddleware") + 1
    return [*middleware[:after], "whitenoise.middleware.WhiteNoiseMiddleware", *middleware[after:]]

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "gis@thessaloniki.invalid")

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "core.api_schema.PortalAutoSchema",
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "core.parsers.JSONObjectParser", "core.parsers.CheckedFormParser", "core.parsers.CheckedMultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 100,
    "EXCEPTION_HANDLER": "core.api_errors.exception_handler",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Thessaloniki GIS portal API",
    "DESCRIPTION": (
        "Reference geography (municipality, districts), departments, Open311 service categories and "
        "their routing rules for the Municipality of Thessaloniki."
    ),
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Open311's .json/.xml routes and the OGC API's paths are part of the document.
    "DEFAULT_GENERATOR_CLASS": "core.api_schema.PortalSchemaGenerator",
    # Swagger UI would otherwise send the schema's address to validator.swagger.io.
    # No deep links: Swagger UI puts them inside each operation's button, a link in a button that keyboards and
    # screen readers cannot reach (WCAG 2.1 AA, tests/web/test_accessibility.py).
    "SWAGGER_UI_SETTINGS": {"deepLinking": False, "validatorUrl": None, "syntaxHighlight": {"theme": "obsidian"}},
    "ENUM_NAME_OVERRIDES": {"ImplementationStatusEnum": "participation.models.ImplementationStatus",
                            "JoinRequestStateEnum": "participation.models.JoinRequest.State",
                            "MeetingRegistrationStatusEnum": "participation.models.MeetingRegistration.Status",
                            "ProposalStateEnum": "participation.models.Proposal.State"},
}

# Basemap tiles for every map (admin widgets included). On an intranet with no internet, point
# BASEMAP_TILES_URL at the city's own tile server, or set it empty: the site's maps then draw an
# offline basemap from the server's own layers (municipality, districts, gazetteer streets and
# places), as they also do when the tiles fail to load.
BASEMAP_TILES_URL = env_str("BASEMAP_TILES_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
BASEMAP_ATTRIBUTION = env_str("BASEMAP_ATTRIBUTION", "© OpenStreetMap contributors")
# Or the city's own basemap as a local MBTiles file (raster PNG/JPEG tiles): this server then serves its tiles at
# /basemap/tiles/{z}/{x}/{y} (layers/basemap.py, cached by browsers for BASEMAP_MBTILES_MAX_AGE seconds, an ETag
# from the file's mtime and size) and every map uses them instead of BASEMAP_TILES_URL; images stay 'self' in the CSP.
BASEMAP_MBTILES = env_str("BASEMAP_MBTILES", "")
BASEMAP_MBTILES_MAX_AGE = env_int("BASEMAP_MBTILES_MAX_AGE", 86400)
if BASEMAP_MBTILES:
    BASEMAP_TILES_URL = "/basemap/tiles/{z}/{x}/{y}"
# The land and sea drawn under the offline basemap (a static GeoJSON file; fixtures/build_coastline.py makes the
# city's from the Kallikratis boundaries). Its bbox is the area every map may show (core/basemap_surface.py):
# maps cannot be panned out of it, and beyond it they draw "no data", never sea. Empty: no land, sea or bounds.
BASEMAP_COASTLINE = env_str("BASEMAP_COASTLINE", "layers/basemap/coastline.geojson")
# The licence notice of the municipal boundaries, shown on every map and in the DCAT-AP catalogue. The demo's
# are the Kallikratis boundaries (CC BY 3.0, which asks for this attribution wherever they are shown).
BOUNDARY_ATTRIBUTION = env_str("BOUNDARY_ATTRIBUTION", "Boundaries: geodata.gov.gr, CC BY 3.0")
# Security headers on every response (SecurityMiddleware, XFrameOptionsMiddleware, django-csp, django-permissions-policy).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp): scripts, styles, fonts and connections from this server only; images also
# from data:, blob: and the basemap's tile server. Inline code runs only with the response's nonce: write
# nonce="{{ request.csp_nonce }}" on the element (or core.printable_maps.add_nonce for generated HTML); the nonce
# is in the header only when the response used it. A view needing another source: csp.decorators.csp_update.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:", "blob:", *filter(None, [url_origin(BASEMAP_TILES_URL)])],
        "connect-src": [SELF],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}
PERMISSIONS_POLICY = {"camera": [], "microphone": [], "payment": [], "usb": [], "geolocation": ["self"]}

LEAFLET_CONFIG = {
    "DEFAULT_CENTER": (40.6233, 22.9537),
    "DEFAULT_ZOOM": 13,
    "MIN_ZOOM": 3,
    "MAX_ZOOM": 19,
    "TILES": [("Basemap", BASEMAP_TILES_URL, {"attribution": BASEMAP_ATTRIBUTION, "maxZoom": 19})] if BASEMAP_TILES_URL else [],
    "RESET_VIEW": False,
}

# The municipality this server serves (YPES code); others imported are its neighbours.
HOME_MUNICIPALITY_CODE = env_str("HOME_MUNICIPALITY_CODE", "9031")
HOME_MUNICIPALITY_NAME_EN = env_str("HOME_MUNICIPALITY_NAME_EN", "Municipality of Thessaloniki")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # No secret reaches a log: keys, passwords, tokens and session ids are replaced before writing.
    "filters": {"redact_secrets": {"()": "core.log_redaction.RedactSecretsFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["redact_secrets"]}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # pyogrio logs each file it writes ("Created 21 records"): the download writer reports what matters
    "loggers": {"pyogrio": {"level": "WARNING"}, "pyvips": {"level": "WARNING"}},
}

# gis.W001: Debian 12's GDAL (3.6) cannot block file and network access from spatial reference
# definitions. The server never hands a spatial reference from a request to GDAL: output CRSs are
# chosen from a fixed list of EPSG codes, and only the operators' import commands open files.
SILENCED_SYSTEM_CHECKS = ["gis.W001"]

# Citizen reporting
# A pin this close (metres) outside every district is snapped to the nearest one (a seafront promenade).
ROUTING_BOUNDARY_TOLERANCE_M = env_int("ROUTING_BOUNDARY_TOLERANCE_M", 20)
PHOTO_MAX_BYTES = 10 * 1024 * 1024
PHOTO_MAX_SIDE = 2048
PHOTO_THUMBNAIL_SIDE = 320
# Uploads up to the photo limit are accepted by Django and then checked by the photo code.
DATA_UPLOAD_MAX_MEMORY_SIZE = PHOTO_MAX_BYTES + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
NOTIFICATION_MAX_ATTEMPTS = env_int("NOTIFICATION_MAX_ATTEMPTS", 5)
OPEN311_CONTACT = env_str("OPEN311_CONTACT", "Municipality of Thessaloniki, Citizen Service Centre, open311@thessaloniki.invalid")
OPEN311_KEY_SERVICE = env_str("OPEN311_KEY_SERVICE", "Ask the Citizen Service Centre for an API key: open311@thessaloniki.invalid")

# Limits shared by every worker (kept in the database). Reports, comments and supports sent without an
# API key (the site's own forms) are limited per client address, or per account when signed in; API keys
# have their own per-minute limit. Behind a proxy, CLIENT_IP_PROXY_COUNT says how many trusted proxies
# append to X-Forwarded-For, so the client's address is read from there.
ANONYMOUS_WRITE_LIMIT = env_int("ANONYMOUS_WRITE_LIMIT", 30)
ANONYMOUS_WRITE_WINDOW_SECONDS = env_int("ANONYMOUS_WRITE_WINDOW_SECONDS", 3600)
CLIENT_IP_PROXY_COUNT = env_int("CLIENT_IP_PROXY_COUNT", 0)
# Staff sign-in with the city's directory (LDAP, django-auth-ldap; issues/directory.py), on when LDAP_SERVER_URI is
# set. Accounts are found under LDAP_USER_BASE by LDAP_USER_FILTER (bound as LDAP_BIND_DN, or anonymously), their
# groups (groupOfNames) under LDAP_GROUP_BASE; LDAP_GROUP_ROLES (JSON) maps group DNs to "<department>:staff",
# "<department>:manager" or "planner"; members of LDAP_DISABLED_GROUP are refused. Local accounts (administrators)
# keep their passwords. Order: django-axes' backend (the sign-in protection) first, then the directory, then the
# local accounts.
LDAP_SERVER_URI = env_str("LDAP_SERVER_URI", "")
LDAP_TIMEOUT_SECONDS = env_int("LDAP_TIMEOUT_SECONDS", 5)
AUTH_LDAP_SERVER_URI = LDAP_SERVER_URI
AUTH_LDAP_BIND_DN = env_str("LDAP_BIND_DN", "")
AUTH_LDAP_BIND_PASSWORD = env_str("LDAP_BIND_PASSWORD", "")
AUTH_LDAP_START_TLS = env_bool("LDAP_START_TLS", False)
AUTH_LDAP_USER_SEARCH = LDAPSearch(env_str("LDAP_USER_BASE", "ou=people,dc=example,dc=org"), ldap.SCOPE_SUBTREE,
                                   env_str("LDAP_USER_FILTER", "(uid=%(user)s)"))
AUTH_LDAP_GROUP_SEARCH = LDAPSearch(env_str("LDAP_GROUP_BASE", "ou=groups,dc=example,dc=org"), ldap.SCOPE_SUBTREE,
                                    "(objectClass=groupOfNames)")
AUTH_LDAP_GROUP_TYPE = GroupOfNamesType()
AUTH_LDAP_USER_ATTR_MAP = {"first_name": "givenName", "last_name": "sn", "email": "mail"}
AUTH_LDAP_ALWAYS_UPDATE_USER = True
AUTH_LDAP_CONNECTION_OPTIONS = {ldap.OPT_NETWORK_TIMEOUT: LDAP_TIMEOUT_SECONDS, ldap.OPT_TIMEOUT: LDAP_TIMEOUT_SECONDS,
                                ldap.OPT_REFERRALS: 0}
LDAP_GROUP_ROLES = json.loads(env_str("LDAP_GROUP_ROLES", "{}"))
LDAP_DISABLED_GROUP = env_str("LDAP_DISABLED_GROUP", "")

# Sign-in protection (django-axes): after this many failed sign-ins of one account from one address within the
# period, that account is refused from that address (so nobody can lock a known account out from elsewhere).
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(seconds=env_int("LOGIN_LOCKOUT_SECONDS", 900))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "core.sign_in.lockout_response"
AXES_USERNAME_CALLABLE = "core.sign_in.normalized_username"
# Password spraying: at most this many sign-in attempts from one address per LOGIN_LOCKOUT_SECONDS, any accounts.
LOGIN_LOCKOUT_SECONDS = env_int("LOGIN_LOCKOUT_SECONDS", 900)
LOGIN_ATTEMPT_LIMIT_PER_ADDRESS = env_int("LOGIN_ATTEMPT_LIMIT_PER_ADDRESS", 20)
SIGN_IN_PATHS = ["/accounts/login/", "/admin/login/"]
AXES_CLIENT_IP_CALLABLE = "core.limits.client_ip"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    *(["issues.directory.DirectoryBackend"] if LDAP_SERVER_URI else []),
    "django.contrib.auth.backends.ModelBackend",
]

# Passwords residents choose when they create an account (staff accounts come from administrators or the directory).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# The group whose members read every issue and all hazard data and change nothing.
PLANNER_GROUP = "civil-protection-planners"
# Staff accounts (is_staff) in this group evaluate participation: they answer proposals, add projects to budgets,
# hide comments and see unpublished processes; the group gives them the admin's view of participation's records.
PARTICIPATION_EVALUATOR_GROUP = "participation-evaluators"
# The demo loader's sign-in accounts (a planner, a department manager, a participation evaluator, a verified
# resident), whose passwords are kept in DEMO_ACCOUNTS_FILE and printed: only the demo's settings allow them.
DEMO_ACCOUNTS = False
DEMO_ACCOUNTS_FILE = Path(env_str("DEMO_ACCOUNTS_FILE", str(BASE_DIR / "var" / "demo-accounts.json")))
# Staff, managers and planners sign in with a session (Django's login view) for the signed-in pages.
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "staff-home"
LOGOUT_REDIRECT_URL = "login"

# A GeoJSON geometry in a request (a proposal's place, an area for hazard statistics) holds at most this many
# positions, so one request cannot hand GEOS and PostGIS an arbitrarily large drawing.
GEOMETRY_MAX_VERTICES = env_int("GEOMETRY_MAX_VERTICES", 5000)

# Hazard rasters (GeoTIFF): registered layers keep paths relative to this folder.
HAZARD_DATA_DIR = Path(env_str("HAZARD_DATA_DIR", str(BASE_DIR / "var" / "hazards")))
# GDAL's cache of decoded raster blocks, per process, in MB (GDAL's own default is 5 % of the machine's memory
# in every worker): raster tiles and sampling read a few blocks each, so a bounded cache keeps workers' memory flat
os.environ["GDAL_CACHEMAX"] = str(env_int("GDAL_CACHEMAX", 64))
# Area queries refuse polygons larger than this (km²), so one request cannot scan the whole country.
HAZARD_MAX_AREA_KM2 = env_int("HAZARD_MAX_AREA_KM2", 500)
# Earthquake scenarios (docs/SCENARIOS.md): the grid's cell (m) and its margin around the municipalities on record
# (m), the Vs30 where no site layer has a value (m/s, reference rock), how long a request computes before it
# answers 202 and the scenario finishes in a background thread of the process, and the building class of the
# features of a collection for the probability of damage (a feature's own "building_class" property wins).
HAZARD_SCENARIO_CELL_M = env_int("HAZARD_SCENARIO_CELL_M", 25)
HAZARD_SCENARIO_MARGIN_M = env_int("HAZARD_SCENARIO_MARGIN_M", 3000)
HAZARD_SCENARIO_DEFAULT_VS30 = 760
HAZARD_SCENARIO_DEADLINE_S = 1.0
# Computing and storing a scenario's grid takes about this long per million cells on the reference 2 cores
# (docs/PERFORMANCE.md): a grid estimated past the deadline is computed by the job worker instead (answer 202).
HAZARD_SCENARIO_SECONDS_PER_MILLION_CELLS = 1.5
HAZARD_SCENARIO_COLLECTION_CLASSES = {"heritage-sites": "urm-pre1960"}
# Condition reports of a monument: reports of these categories inside its footprint, within this many metres of it,
# or naming it in their `monument` field (heritage.selectors.condition_reports_for).
HERITAGE_CONDITION_CATEGORIES = ["monument-damage"]
HERITAGE_CONDITION_REPORT_METRES = 50

# Open data: the layers' downloads (GeoPackage, CSV, zipped Shapefile) are written once per data version
# into this folder; the DCAT-AP catalogue names the publisher, its contact and the licence.
LAYER_DOWNLOAD_DIR = Path(env_str("LAYER_DOWNLOAD_DIR", str(BASE_DIR / "var" / "downloads")))
# Behind nginx: the URI prefix of nginx's `internal` location aliased to LAYER_DOWNLOAD_DIR. Set, a download
# file is answered with X-Accel-Redirect: <prefix>/<path inside the folder> and an empty body, and nginx sends
# the bytes (deploy/nginx/); empty (make run, runserver), the server sends the file itself.
DOWNLOADS_ACCEL_REDIRECT_PREFIX = env_str("DOWNLOADS_ACCEL_REDIRECT_PREFIX", "")
OPEN_DATA_LICENCE = env_str("OPEN_DATA_LICENCE", "http://creativecommons.org/licenses/by/4.0/")
OPEN_DATA_PUBLISHER_EL = env_str("OPEN_DATA_PUBLISHER_EL", "Δήμος Θεσσαλονίκης")
OPEN_DATA_PUBLISHER_EN = env_str("OPEN_DATA_PUBLISHER_EN", HOME_MUNICIPALITY_NAME_EN)
OPEN_DATA_CONTACT_EMAIL = env_str("OPEN_DATA_CONTACT_EMAIL", "opendata@thessaloniki.invalid")
OPEN_DATA_FILE_PREFIX = env_str("OPEN_DATA_FILE_PREFIX", "thessaloniki")  # download file names: thessaloniki-heritage-sites.gpkg

# Citizen participation. The census and ballot keys are secrets of their own: the census key makes the stored
# hashes of identifier and date of birth; the ballot key lets a voter find and change their own ballot.
PARTICIPATION_MIN_AGE = env_int("PARTICIPATION_MIN_AGE", 16)
PARTICIPATION_CENSUS_KEY = env_str("PARTICIPATION_CENSUS_KEY", SECRET_KEY + ":census")
PARTICIPATION_BALLOT_KEY = env_str("PARTICIPATION_BALLOT_KEY", SECRET_KEY + ":ballot")
# open Improve My City reports within this many metres of a proposal are shown beside it
PARTICIPATION_NEARBY_REPORTS_METRES = env_int("PARTICIPATION_NEARBY_REPORTS_METRES", 300)
# nearby proposals before publishing: within this many metres
PARTICIPATION_SIMILAR_METRES = env_int("PARTICIPATION_SIMILAR_METRES", 250)
# a proposal or comment is hidden, until a moderator decides, once this many distinct verified accounts report it
PARTICIPATION_HIDE_AFTER_REPORTS = env_int("PARTICIPATION_HIDE_AFTER_REPORTS", 3)
# links in participation's e-mails (a proposal's page, the one-click unsubscribe) start with this address
PARTICIPATION_PUBLIC_URL = env_str("PARTICIPATION_PUBLIC_URL", "http://localhost:8000")
# the daily digest of notices (07:00), and the check for phases that have opened (every 10 minutes)
PARTICIPATION_DIGEST_CRON = env_str("PARTICIPATION_DIGEST_CRON", "0 7 * * *")
PARTICIPATION_PHASES_CRON = env_str("PARTICIPATION_PHASES_CRON", "*/10 * * * *")
# the count opens the sealed ballots of a closed vote in batches of about this many, each shuffled (checked every
# PARTICIPATION_COUNT_CRON)
PARTICIPATION_BALLOT_BATCH = env_int("PARTICIPATION_BALLOT_BATCH", 1000)
PARTICIPATION_COUNT_CRON = env_str("PARTICIPATION_COUNT_CRON", "*/5 * * * *")

# --- Background jobs (procrastinate, on this same PostgreSQL) --------------------------------------------
# Each app's tasks.py registers its jobs; `manage.py procrastinate worker` runs them (make run starts one
# beside the web server; deploy/systemd/gis-portal-worker.service in production). docs/JOBS.md.
INSTALLED_APPS += ["procrastinate.contrib.django"]  # noqa: F405
PROCRASTINATE_WORKER_DEFAULTS = {"concurrency": env_int("JOB_WORKER_CONCURRENCY", 2), "delete_jobs": "successful"}
for _quiet in ("procrastinate.periodic", "procrastinate.blueprints"):  # each task's registration, at every start
    LOGGING["loggers"][_quiet] = {"level": "WARNING"}  # noqa: F405
# Every minute the worker sends the outbox's due e-mails (and their retries), without cron.
OUTBOX_CRON = env_str("OUTBOX_CRON", "* * * * *")
# A download asked for before its file is written: 503 with this Retry-After (seconds) while a job writes it.
DOWNLOAD_RETRY_AFTER = env_int("DOWNLOAD_RETRY_AFTER", 30)
# A layer that keeps changing gets a new download file at most this often (the older one is served meanwhile).
DOWNLOAD_REFRESH_SECONDS = env_int("DOWNLOAD_REFRESH_SECONDS", 60)
# ... or this many times as long as the newest file took to write, when that is longer (layers/tasks.py)
DOWNLOAD_REFRESH_WORK_FACTOR = env_int("DOWNLOAD_REFRESH_WORK_FACTOR", 4)

# --- Time budgets: a statement timeout per kind of request (core/time_budgets.py) --------------------
# Public reads and tiles must answer fast or give way; staff figures may take longer; jobs have none.
STATEMENT_TIMEOUT_PUBLIC_MS = env_int("STATEMENT_TIMEOUT_PUBLIC_MS", 5_000)
STATEMENT_TIMEOUT_STAFF_MS = env_int("STATEMENT_TIMEOUT_STAFF_MS", 60_000)
# Paths whose requests are staff work whoever sends them (signed-in sessions are staff work anywhere).
STAFF_PATH_PREFIXES = ["/staff/", "/planner/", "/admin/", "/api/stats/", "/api/departments/", "/api/hazards/"]
# A public request that ran out of time: 503 with this Retry-After (seconds).
STATEMENT_TIMEOUT_RETRY_AFTER = env_int("STATEMENT_TIMEOUT_RETRY_AFTER", 10)
MIDDLEWARE += ["core.time_budgets.StatementTimeoutMiddleware"]  # noqa: F405  (last: its process_exception runs first)
# --- Read replica (core/replica.py) ---------------------------------------------------------------------------
# DATABASE_REPLICA_URL names a streaming replica of the database (scripts/start_replica.sh makes one on this
# machine). Views that only read (layers, tiles, downloads, the OGC API, public lists, figures) then read there
# while it answers and is at most REPLICA_MAX_LAG_SECONDS behind; a client that has just written reads from the
# primary for REPLICA_PIN_SECONDS. Without it, everything uses the primary.
DATABASE_REPLICA_URL = env_str("DATABASE_REPLICA_URL", "")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = {
        **dj_database_url.parse(DATABASE_REPLICA_URL, engine="django.contrib.gis.db.backends.postgis",
                                conn_max_age=DATABASES["default"]["CONN_MAX_AGE"], conn_health_checks=True),
        "TEST": {"MIRROR": "default"},
    }
    # the primary's connection options (timeouts), with a short connect timeout: a replica that does not answer
    # costs one wait, then REPLICA_RETRY_SECONDS of reads from the primary
    DATABASES["replica"]["OPTIONS"] = {**DATABASES["default"].get("OPTIONS", {}),
                                       "connect_timeout": env_int("REPLICA_CONNECT_TIMEOUT", 2)}
DATABASE_ROUTERS = ["core.replica.ReplicaRouter"]
# --- Connection pool (core/connection_pool.py) -------------------------------------------------------------
# With DATABASE_POOL_MAX_SIZE above 0, each server process borrows its connections (the primary's, and the
# replica's from a pool of its own) from Django's psycopg pool of DATABASE_POOL_MIN_SIZE..MAX_SIZE connections,
# instead of keeping one per thread for DATABASE_CONN_MAX_AGE. A request that gets no connection within
# DATABASE_POOL_TIMEOUT seconds (every one lent, which a sync worker's one request at a time hardly meets, or the
# database down) is answered 503; while the database is down a request waits for it twice (the time budget, then
# the view), so the timeout is short. Keep gunicorn's workers x DATABASE_POOL_MAX_SIZE, plus the job worker's, well
# under PostgreSQL's max_connections. `make run` (gis_portal.settings.local) pools by default.
DATABASE_POOL_MIN_SIZE = env_int("DATABASE_POOL_MIN_SIZE", 1)
DATABASE_POOL_MAX_SIZE = env_int("DATABASE_POOL_MAX_SIZE", 0)
DATABASE_POOL_TIMEOUT = env_int("DATABASE_POOL_TIMEOUT", 2)
if DATABASE_POOL_MAX_SIZE:
    use_pool(DATABASES, min_size=DATABASE_POOL_MIN_SIZE, max_size=DATABASE_POOL_MAX_SIZE, timeout=DATABASE_POOL_TIMEOUT)
MIDDLEWARE += ["core.replica.PinReadsAfterWriteMiddleware"]
REPLICA_PIN_SECONDS = env_int("REPLICA_PIN_SECONDS", 30)
REPLICA_MAX_LAG_SECONDS = env_int("REPLICA_MAX_LAG_SECONDS", 5)
REPLICA_CHECK_SECONDS = env_int("REPLICA_CHECK_SECONDS", 1)
REPLICA_RETRY_SECONDS = env_int("REPLICA_RETRY_SECONDS", 5)
# --- Heritage: EDM over OAI-PMH at /oai (heritage/oai/) ------------------------------------------------------
# Records are oai:<HERITAGE_OAI_REPOSITORY_ID>:<object identifier>; a page of a list holds HERITAGE_OAI_PAGE_SIZE.
HERITAGE_OAI_REPOSITORY_ID = env_str("HERITAGE_OAI_REPOSITORY_ID", "heritage.thessaloniki.gr")
HERITAGE_OAI_REPOSITORY_NAME = env_str("HERITAGE_OAI_REPOSITORY_NAME", "Municipality of Thessaloniki: cultural heritage")
HERITAGE_OAI_ADMIN_EMAIL = env_str("HERITAGE_OAI_ADMIN_EMAIL", DEFAULT_FROM_EMAIL)
HERITAGE_OAI_PAGE_SIZE = env_int("HERITAGE_OAI_PAGE_SIZE", 100)
# edm:provider of every record: who hands the records to Europeana's aggregator.
HERITAGE_EDM_PROVIDER = env_str("HERITAGE_EDM_PROVIDER", "Municipality of Thessaloniki")
# IIIF (heritage/iiif/): each image of an object is cut into a static level-0 pyramid of HERITAGE_IIIF_TILE_SIZE px
# JPEG tiles under HERITAGE_IIIF_ROOT (empty: MEDIA_ROOT/iiif/3), which nginx sends as files and the server also
# answers (/iiif/3/{identifier}/...); `max` is the largest level whose long side is at most HERITAGE_IIIF_MAX_SIZE.
HERITAGE_IIIF_ROOT = env_str("HERITAGE_IIIF_ROOT", "")
HERITAGE_IIIF_TILE_SIZE = env_int("HERITAGE_IIIF_TILE_SIZE", 512)
HERITAGE_IIIF_MAX_SIZE = env_int("HERITAGE_IIIF_MAX_SIZE", 4096)
HERITAGE_IIIF_JPEG_QUALITY = env_int("HERITAGE_IIIF_JPEG_QUALITY", 85)
