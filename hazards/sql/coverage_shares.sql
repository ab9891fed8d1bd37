-- For each of the given layers, the area (m², on the spheroid) of an area of interest inside the layer's
-- coverage (by default its extent); NULL where the layer states neither (it covers everywhere).
WITH area AS (SELECT ST_GeomFromEWKB(%(area)s) AS geom)
SELECT l.id AS layer_id,
       ST_Area(ST_Intersection(COALESCE(l.coverage, ST_Multi(l.extent)), area.geom)::geography) AS square_metres
FROM hazards_hazardlayer AS l, area
WHERE l.id = ANY(%(layer_ids)s);
