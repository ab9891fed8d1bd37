-- Whether a point lies in each layer's coverage: the area its study covers (by default its extent). A layer
-- that states neither covers everywhere. A raster without one answers from its own extent and nodata.
SELECT l.id AS layer_id,
       COALESCE(ST_Covers(COALESCE(l.coverage, CASE WHEN l.source = 'vector' THEN ST_Multi(l.extent) END),
                          ST_SetSRID(ST_MakePoint(%(lon)s, %(lat)s), 4326)), true) AS covered
FROM hazards_hazardlayer AS l;
