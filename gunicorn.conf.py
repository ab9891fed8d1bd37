"""gunicorn settings for production and `make run` (scripts/serve.sh): `gunicorn gis_portal.wsgi`, run from the project
folder, reads this file. Each worker opens its own database connections after the fork (no preloading), so each has
its own connection pool when DATABASE_POOL_MAX_SIZE is set (core/connection_pool.py)."""
import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Sync workers, as gunicorn advises: two per core and one more.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
# A worker stuck this long is killed and replaced; database calls give up long before (DATABASE_CONNECT_TIMEOUT).
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
backlog = 512
# gunicorn's largest request line (its default is 4094): an OGC API CQL2 filter may be 8,000 characters of text
# (layers/ogc/cql.py MAX_TEXT); URL-encoded, most of one fits, and a longer line is answered 414
limit_request_line = 8190
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "warning")
errorlog = "-"
