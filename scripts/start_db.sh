#!/usr/bin/env bash
# Starts a local PostgreSQL 15 cluster (as the postgres user: PostgreSQL refuses to run as root) and
# creates the project's role, database and extensions. Safe to run again. Does nothing when
# DATABASE_URL points at an existing PostGIS.
set -euo pipefail

if [ -n "${DATABASE_URL:-}" ]; then
  echo "database: using DATABASE_URL, no local cluster started"
  exit 0
fi

: "${PGVERSION:=15}"
: "${PGCLUSTER:=main}"
: "${PGPORT:=5432}"
: "${DB_NAME:=gis_portal}"
: "${DB_USER:=gis_portal}"
: "${DB_PASSWORD:=gis_portal}"

if ! pg_lsclusters -h | awk '{print $1"/"$2}' | grep -qx "$PGVERSION/$PGCLUSTER"; then
  echo "database: creating cluster $PGVERSION/$PGCLUSTER on port $PGPORT"
  pg_createcluster "$PGVERSION" "$PGCLUSTER" --port "$PGPORT" --locale C.UTF-8 --encoding UTF8 >/dev/null
fi
status=$(pg_lsclusters -h | awk -v v="$PGVERSION" -v c="$PGCLUSTER" '$1==v && $2==c {print $4}')
if [ "$status" != "online" ]; then
  echo "database: starting cluster $PGVERSION/$PGCLUSTER"
  pg_ctlcluster "$PGVERSION" "$PGCLUSTER" start
fi
port=$(pg_lsclusters -h | awk -v v="$PGVERSION" -v c="$PGCLUSTER" '$1==v && $2==c {print $3}')

as_postgres() {
  if [ "$(id -un)" = postgres ]; then "$@"; else runuser -u postgres -- "$@"; fi
}
psql_admin() { as_postgres psql -p "$port" -v ON_ERROR_STOP=1 -qAt "$@"; }
wait_ready() {
  for _ in $(seq 1 30); do
    psql_admin -c 'select 1' >/dev/null 2>&1 && return 0
    sleep 1
  done
  echo "database: cluster $PGVERSION/$PGCLUSTER does not answer; see /var/log/postgresql/" >&2
  return 1
}
wait_ready

# Memory for a server that holds a city's reports: a quarter of RAM for shared buffers (at most 2 GB),
# and room for the WAL of a bulk re-route; 200 connections (the web and job processes' pools, and the test suite's
# servers, a dozen threads each). Applied once; the cluster restarts to take it.
mem_mb=$(awk '/MemTotal/ {print int($2 / 1024)}' /proc/meminfo)
buffers_mb=$(( mem_mb / 4 )); [ "$buffers_mb" -gt 2048 ] && buffers_mb=2048; [ "$buffers_mb" -lt 128 ] && buffers_mb=128
if [ "$(psql_admin -c "select setting::int * 8 / 1024 from pg_settings where name = 'shared_buffers'")" != "$buffers_mb" ] ||
   [ "$(psql_admin -c "select setting from pg_settings where name = 'max_connections'")" != 200 ]; then
  echo "database: tuning shared_buffers=${buffers_mb}MB, max_wal_size=4GB, max_connections=200 (restart)"
  psql_admin -c "alter system set shared_buffers = '${buffers_mb}MB'" \
             -c "alter system set max_wal_size = '4GB'" -c "alter system set checkpoint_timeout = '15min'" \
             -c "alter system set max_connections = 200"
  pg_ctlcluster "$PGVERSION" "$PGCLUSTER" restart
  wait_ready
fi

# The local role is a superuser of this loopback-only cluster, so that the test runner can create
# its database with the extensions. A shared server given by DATABASE_URL needs no such role.
if [ "$(psql_admin -c "select 1 from pg_roles where rolname = '$DB_USER'")" != 1 ]; then
  psql_admin -c "create role \"$DB_USER\" login superuser password '$DB_PASSWORD'"
fi
if [ "$(psql_admin -c "select 1 from pg_database where datname = '$DB_NAME'")" != 1 ]; then
  # UTF-8 whatever locale the cluster was created with: names are in Greek.
  psql_admin -c "create database \"$DB_NAME\" owner \"$DB_USER\" encoding 'UTF8' lc_collate 'C.UTF-8' lc_ctype 'C.UTF-8' template template0"
fi
psql_admin -d "$DB_NAME" -c "set client_min_messages = warning; create extension if not exists postgis; create extension if not exists postgis_raster; create extension if not exists pg_trgm; create extension if not exists unaccent;"
echo "database: postgis://$DB_USER@127.0.0.1:$port/$DB_NAME ready"
