-- For a list of points: the district covering each (smallest code on an edge), for a vector layer the highest
-- zone value covering it, and whether the point is in the layer's coverage (by default its extent; a layer
-- that states neither covers everywhere; a raster without one answers from its own extent and nodata..
WITH points AS (
    SELECT p.ord, ST_SetSRID(ST_MakePoint(p.x, p.y), 4326) AS geom
    FROM unnest(%(xs)s::float8[], %(ys)s::float8[]) WITH ORDINALITY AS p(x, y, ord)
),
layer AS (SELECT COALESCE(l.coverage, CASE WHEN l.source = 'vector' THEN ST_Multi(l.extent) END) AS coverage FROM hazards_hazardlayer AS l WHERE l.id = %(layer_id)s)
SELECT points.ord,
       (SELECT d.code FROM layers_districtpiece AS piece JOIN layers_district AS d ON d.id = piece.district_id
         WHERE ST_Covers(piece.geom, points.geom) ORDER BY d.code LIMIT 1) AS district,
       (SELECT max(z.value) FROM hazards_hazardzone AS z
         WHERE z.layer_id = %(layer_id)s AND ST_Covers(z.geom, points.geom)) AS value,
       COALESCE((SELECT ST_Covers(layer.coverage, points.geom) FROM layer), true) AS covered
FROM points
ORDER BY points.ord;
