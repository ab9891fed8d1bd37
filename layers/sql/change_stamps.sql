-- The change stamp of each named source table: the sum of its changes (grows with every committed
-- statement), its highest row id (sequences never go back, so a rolled-back history is never repeated)
-- and the time of its latest change; with the database's identity, so a re-created database starts anew.
SELECT s.source,
       coalesce(sum(c.changes), 0)::bigint AS changes,
       coalesce(max(c.id), 0)::bigint AS last_id,
       max(c.changed_at) AS changed_at,
       (SELECT oid::bigint FROM pg_database WHERE datname = current_database()) AS database
FROM unnest(%(sources)s::text[]) AS s(source)
LEFT JOIN layers_change AS c ON c.source = s.source
GROUP BY s.source
ORDER BY s.source;
