#!/usr/bin/env bash
# Runs the benchmarks against their own database, gis_portal_bench (created and loaded if missing).
set -euo pipefail
cd "$(dirname "$0")/.."
export DATABASE_URL="${BENCH_DATABASE_URL:-postgis://gis_portal:gis_portal@127.0.0.1:5432/gis_portal_bench}"
export DJANGO_SETTINGS_MODULE=gis_portal.settings.dev
PY=.venv/bin/python
make -s system venv >/dev/null
DATABASE_URL= DB_NAME=gis_portal_bench bash scripts/start_db.sh >/dev/null
$PY manage.py migrate -v0
$PY manage.py layers_load_demo --commit >/dev/null
$PY manage.py issues_load_demo --commit >/dev/null
$PY manage.py hazards_load_demo --commit >/dev/null
mkdir -p bench/results
for name in ${1:-routing create reroute hazards layers pages scenarios participation implementation oai}; do
  echo "== $name"
  $PY "bench/bench_$name.py"
done
