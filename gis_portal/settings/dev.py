"""Development settings (`make dev`, manage.py): DEBUG on, served only on 127.0.0.1 with the local PostGIS, the demo's
sign-in accounts allowed."""
from .base import *  # noqa: F401,F403
from .env import env_bool

DEBUG = env_bool("DEBUG", True)
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
SERVE_MEDIA = True
DEMO_ACCOUNTS = True
