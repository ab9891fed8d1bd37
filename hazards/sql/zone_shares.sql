-- For each of the given vector layers, the area (m², on the spheroid) of an area of interest in each level.
WITH area AS (SELECT ST_GeomFromEWKB(%(area)s) AS geom)
SELECT z.layer_id, z.level,
       sum(ST_Area(ST_Intersection(z.geom, area.geom)::geography)) AS square_metres
FROM hazards_hazardzone AS z, area
WHERE z.layer_id = ANY(%(layer_ids)s) AND z.geom && area.geom AND ST_Intersects(z.geom, area.geom)
GROUP BY z.layer_id, z.level;
