-- Open Improve My City reports within %(metres)s metres of a proposal's place (true metres), nearest first;
-- public fields only.
WITH g AS (SELECT ST_SetSRID(ST_GeomFromGeoJSON(%(geojson)s), 4326) AS geom)
SELECT i.id, c.service_code, c.name_en AS category_en, c.name_el AS category_el, i.status, i.created_at,
       ST_X(i.location) AS lon, ST_Y(i.location) AS lat,
       round(ST_Distance(i.location::geography, g.geom::geography)::numeric, 1)::float AS metres
FROM issues_issue i JOIN issues_category c ON c.id = i.category_id, g
WHERE i.status IN ('new', 'acknowledged', 'in_progress', 'reopened')
  AND i.location && ST_Expand(g.geom, %(pad)s)
  AND ST_DWithin(i.location::geography, g.geom::geography, %(metres)s)
ORDER BY metres, i.id
LIMIT %(limit)s
