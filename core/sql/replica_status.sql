-- On a streaming replica: how far its replay is behind (0 when it has replayed all it received, else the
-- time since the last transaction it replayed), whether replay is paused, whether it receives WAL now.
-- On a promoted (or primary) server: no lag.
SELECT CASE
         WHEN NOT pg_is_in_recovery() THEN 0
         WHEN pg_last_wal_receive_lsn() IS NOT DISTINCT FROM pg_last_wal_replay_lsn()
              AND NOT pg_is_wal_replay_paused() THEN 0
         ELSE coalesce(extract(epoch FROM now() - pg_last_xact_replay_timestamp()), 0)
       END::float8 AS lag_seconds,
       pg_is_in_recovery() AND pg_is_wal_replay_paused() AS replay_paused,
       EXISTS (SELECT 1 FROM pg_stat_wal_receiver WHERE status = 'streaming') AS streaming;
