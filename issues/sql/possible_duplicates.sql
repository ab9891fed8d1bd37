-- Open reports of a category within a radius (true metres) and a time window, nearest first.
WITH target AS (SELECT ST_SetSRID(ST_MakePoint(%(lon)s, %(lat)s), 4326) AS geom)
SELECT i.id AS issue_id, ST_Distance(i.location::geography, target.geom::geography) AS metres
FROM issues_issue AS i, target
WHERE i.category_id = %(category_id)s
  AND i.status = ANY(%(open_statuses)s)
  AND i.created_at >= %(since)s
  AND i.id <> %(exclude_id)s
  AND i.location && ST_Expand(target.geom, %(pad_deg)s)
  AND ST_DWithin(i.location::geography, target.geom::geography, %(radius_m)s)
ORDER BY metres, i.id
LIMIT %(limit)s;
