#!/usr/bin/env bash
# A streaming read replica of the project's PostgreSQL cluster, on this machine: a second Debian cluster
# (pg_createcluster) filled by pg_basebackup -R from the primary, on a free port, replaying the primary's WAL.
# Safe to run again: a replica that exists is started (and its paused replay resumed); one that cannot catch
# up (the primary no longer has the WAL it needs) is made again. Prints REPLICA_PORT=<port> once the replica
# has replayed everything the primary had written when the script looked.
#
#   bash scripts/start_replica.sh            create or start, wait until caught up, print the port
#   bash scripts/start_replica.sh --stop     stop the replica (reads then go to the primary); --stop immediate: at once
#   bash scripts/start_replica.sh --drop     stop and remove it
#   bash scripts/start_replica.sh --port     print the port of an existing replica
#
# The server reads from it when DATABASE_REPLICA_URL names it, e.g.
#   DATABASE_REPLICA_URL=postgis://gis_portal:gis_portal@127.0.0.1:<port>/gis_portal
# (roles and databases are the primary's: a physical replica is a copy of the whole cluster).
# Environment: PGVERSION (15), PRIMARY_CLUSTER (main), REPLICA_CLUSTER (replica), REPLICA_PORT (first port
# tried, 5433), REPLICA_CATCH_UP_SECONDS (120).
set -euo pipefail

VERSION="${PGVERSION:-15}"
PRIMARY="${PRIMARY_CLUSTER:-main}"
NAME="${REPLICA_CLUSTER:-replica}"
FIRST_PORT="${REPLICA_PORT:-5433}"
CATCH_UP_SECONDS="${REPLICA_CATCH_UP_SECONDS:-120}"
BIN="/usr/lib/postgresql/$VERSION/bin"
SLOT="replica_${NAME//[^a-z0-9_]/_}"

if [ "$(id -u)" -ne 0 ]; then
  echo "run as root: the replica is a cluster of the postgres user made with pg_createcluster" >&2
  exit 2
fi

as_postgres() { runuser -u postgres -- "$@"; }

cluster_field() {  # cluster_field <name> <column number of pg_lsclusters -h>: empty when there is no such cluster
  pg_lsclusters -h | awk -v v="$VERSION" -v n="$1" -v f="$2" '$1 == v && $2 == n { print $f }'
}

exists() { [ -n "$(cluster_field "$NAME" 2)" ]; }
port_of() { cluster_field "$1" 3; }
status_of() { cluster_field "$NAME" 4; }
data_dir() { cluster_field "$NAME" 6; }

drop_slot() {
  sql_at "$PRIMARY_PORT" "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots
                          WHERE slot_name = '$SLOT' AND NOT active" >/dev/null
}

sql_at() {  # sql_at <port> <statement>: one value, as postgres over the local socket
  as_postgres psql -p "$1" -d postgres -XqAt -v ON_ERROR_STOP=1 -c "$2"
}

case "${1:-}" in
  --stop)  # --stop immediate: as if it crashed (connections cut at once; the next start replays from its last restart point)
    if exists && [[ "$(status_of)" != down* ]]; then pg_ctlcluster "$VERSION" "$NAME" stop -m "${2:-fast}"; fi
    exit 0 ;;
  --drop)
    if exists; then pg_dropcluster --stop "$VERSION" "$NAME"; fi
    PRIMARY_PORT="$(port_of "$PRIMARY")"
    if [ -n "$PRIMARY_PORT" ]; then drop_slot; fi
    exit 0 ;;
  --port)
    exists || { echo "no replica cluster $VERSION/$NAME" >&2; exit 1; }
    echo "REPLICA_PORT=$(port_of "$NAME")"
    exit 0 ;;
  "") ;;
  *) echo "usage: $0 [--stop [fast|immediate]|--drop|--port]" >&2; exit 2 ;;
esac

PRIMARY_PORT="$(port_of "$PRIMARY")"
if [ -z "$PRIMARY_PORT" ] || [ "$(cluster_field "$PRIMARY" 4)" != online ]; then
  echo "the primary cluster $VERSION/$PRIMARY is not online (bash scripts/start_db.sh starts it)" >&2
  exit 1
fi

free_port() {  # the first port from FIRST_PORT that no cluster is configured for and nothing listens on
  local port="$FIRST_PORT"
  while pg_lsclusters -h | awk '{ print $3 }' | grep -qx "$port" || ss -Hltn "sport = :$port" | grep -q .; do
    port=$((port + 1))
  done
  echo "$port"
}

create() {
  local port
  port="$(free_port)"
  echo "making the replica $VERSION/$NAME on port $port from $VERSION/$PRIMARY (port $PRIMARY_PORT)"
  pg_createcluster "$VERSION" "$NAME" -p "$port" >/dev/null
  local data
  data="$(data_dir)"
  find "$data" -mindepth 1 -delete
  # -R writes standby.signal and primary_conninfo (the postgres user over the local socket, as peer);
  # -X stream copies the WAL written meanwhile; -c fast starts at once rather than at the next checkpoint;
  # -C -S: a replication slot on the primary keeps the WAL the replica has not received yet (a busy primary
  # recycles its WAL within minutes), so a replica stopped for a while catches up when started again. A slot
  # whose replica is gone for good holds WAL on the primary's disk: remove it with --drop.
  drop_slot
  as_postgres "$BIN/pg_basebackup" -h /var/run/postgresql -p "$PRIMARY_PORT" -D "$data" -R -X stream -c fast \
    -C -S "$SLOT"
  # Long reads on the replica are not cancelled by the primary's vacuum (the primary keeps what they read).
  # The primary's ALTER SYSTEM settings came with the copy (postgresql.auto.conf, which wins over the files
  # in /etc), so the replica's own are appended there (the last line of a setting wins): loopback only, its
  # own memory (REPLICA_SHARED_BUFFERS, 256MB: it serves reads only), hot standby, and feedback so that the
  # primary's vacuum does not cancel long reads on the replica; at its first start, one syncfs rather than an
  # fsync of every file; a restart point every minute, so that stopping it (which writes one) is quick.
  printf "%s\n" "listen_addresses = '127.0.0.1'" "shared_buffers = '${REPLICA_SHARED_BUFFERS:-256MB}'" \
    "hot_standby = on" "hot_standby_feedback = on" \
    "recovery_init_sync_method = syncfs" "checkpoint_timeout = '1min'" >> "$data/postgresql.auto.conf"
}

start() {
  if [[ "$(status_of)" == down* ]]; then
    pg_ctlcluster "$VERSION" "$NAME" start
  fi
  local port
  port="$(port_of "$NAME")"
  local deadline=$((SECONDS + CATCH_UP_SECONDS))
  while [ "$SECONDS" -lt "$deadline" ]; do  # a fresh copy first syncs its files and replays up to a consistent point
    as_postgres pg_isready -q -p "$port" && return 0
    sleep 0.2
  done
  echo "the replica on port $port does not accept connections; see /var/log/postgresql/postgresql-$VERSION-$NAME.log" >&2
  return 1
}

caught_up() {  # wait until the replica has replayed what the primary had written when this was called
  local port target
  port="$(port_of "$NAME")"
  if [ "$(sql_at "$port" "SELECT pg_is_in_recovery()")" != t ]; then
    echo "cluster $VERSION/$NAME on port $port is not a replica (it was promoted?); drop it with --drop" >&2
    exit 1
  fi
  sql_at "$port" "SELECT CASE WHEN pg_is_wal_replay_paused() THEN pg_wal_replay_resume() END" >/dev/null
  target="$(sql_at "$PRIMARY_PORT" "SELECT pg_current_wal_lsn()")"
  local deadline=$((SECONDS + CATCH_UP_SECONDS))
  while [ "$SECONDS" -lt "$deadline" ]; do
    if [ "$(sql_at "$port" "SELECT coalesce(pg_last_wal_replay_lsn() >= '$target'::pg_lsn, false)")" = t ]; then
      return 0
    fi
    sleep 0.2
  done
  return 1
}

if ! exists; then
  create
fi
if ! start || ! caught_up; then
  echo "the replica cannot catch up with the primary: making it again" >&2
  pg_dropcluster --stop "$VERSION" "$NAME"
  create
  start
  caught_up || { echo "the new replica did not catch up within ${CATCH_UP_SECONDS} s" >&2; exit 1; }
fi
echo "REPLICA_PORT=$(port_of "$NAME")"
