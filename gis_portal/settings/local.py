"""`make run`'s settings: the production server (gunicorn, gunicorn.conf.py) on this machine with the demo. As in
production: DEBUG off, static files answered by WhiteNoise, connections from a pool in each worker. As in development:
plain HTTP on 127.0.0.1, the development key, photos served by this server, the demo's sign-in accounts allowed."""
from core.connection_pool import use_pool

from .dev import *  # noqa: F401,F403
from .env import env_bool, env_int

DEBUG = env_bool("DEBUG", False)
# WhiteNoise serves the apps' static files straight from where they are (no collectstatic before `make run`)
MIDDLEWARE = with_whitenoise(MIDDLEWARE)  # noqa: F405
WHITENOISE_USE_FINDERS = True
STATIC_ROOT = None  # so WhiteNoise looks for no collected folder
# One sync gunicorn worker serves one request at a time and needs one connection for it; the pool's spare ones are
# for the scenario threads a worker may run. 5 workers (2 cores) x 4 = 20 connections, with the job worker's about
# 25, of PostgreSQL's 100.
DATABASE_POOL_MAX_SIZE = env_int("DATABASE_POOL_MAX_SIZE", 4)
if DATABASE_POOL_MAX_SIZE:
    use_pool(DATABASES, min_size=DATABASE_POOL_MIN_SIZE, max_size=DATABASE_POOL_MAX_SIZE,  # noqa: F405
             timeout=DATABASE_POOL_TIMEOUT)  # noqa: F405
