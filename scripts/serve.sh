#!/usr/bin/env bash
# Serves the site on HOST:PORT (127.0.0.1:8000) with the job worker beside it; both stop together (Ctrl-C, or
# either one ending). `make run`: gunicorn with gunicorn.conf.py and gis_portal.settings.local (the production
# server, connections from a pool). `make dev` (--dev): Django's development server, reloading on code changes,
# with gis_portal.settings.dev. DJANGO_SETTINGS_MODULE, when set, wins.
set -euo pipefail
cd "$(dirname "$0")/.."

HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}
PY=${PY:-.venv/bin/python}

if [ "${1:-}" = "--dev" ]; then
  export DJANGO_SETTINGS_MODULE=${DJANGO_SETTINGS_MODULE:-gis_portal.settings.dev}
  server=("$PY" manage.py runserver "$HOST:$PORT")
else
  export DJANGO_SETTINGS_MODULE=${DJANGO_SETTINGS_MODULE:-gis_portal.settings.local}
  export GUNICORN_BIND="$HOST:$PORT"
  server=("$(dirname "$PY")/gunicorn" --config gunicorn.conf.py gis_portal.wsgi)
fi

pids=()
stop() {
  trap - EXIT INT TERM
  kill -TERM "${pids[@]}" 2>/dev/null || true
  wait "${pids[@]}" 2>/dev/null || true
}
trap stop EXIT
trap 'exit 130' INT TERM

"$PY" manage.py procrastinate worker &
pids+=($!)
"${server[@]}" &
pids+=($!)
wait -n
