-- For each monument and each of the given vector hazard layers: the highest zone value the monument's footprint
-- (else its point) touches, and whether it lies in the layer's coverage (its coverage, else its extent; a layer
-- that states neither covers everywhere).
SELECT m.id AS monument_id, l.id AS layer_id,
       (SELECT max(z.value) FROM hazards_hazardzone AS z
         WHERE z.layer_id = l.id AND ST_Intersects(z.geom, COALESCE(s.footprint, s.geom))) AS value,
       COALESCE(ST_Intersects(COALESCE(l.coverage, ST_Multi(l.extent)), COALESCE(s.footprint, s.geom)), true) AS covered
FROM heritage_monument AS m
JOIN layers_heritagesite AS s ON s.id = m.site_id
CROSS JOIN hazards_hazardlayer AS l
WHERE l.id = ANY(%(layer_ids)s::bigint[])
ORDER BY m.id, l.id;
