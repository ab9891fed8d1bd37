-- The zones of every vector layer covering a point, the highest value first within a layer.
SELECT z.layer_id, z.level, z.value
FROM hazards_hazardzone AS z
WHERE ST_Covers(z.geom, ST_SetSRID(ST_MakePoint(%(lon)s, %(lat)s), 4326))
ORDER BY z.layer_id, z.value DESC;
