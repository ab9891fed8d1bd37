-- The district nearest to a point, within a tolerance in metres (true metres, on the geography).
-- The && prefilter on a box a little larger than the tolerance lets the GiST index of the pieces work.
WITH target AS (SELECT ST_SetSRID(ST_MakePoint(%(lon)s, %(lat)s), 4326) AS geom)
SELECT piece.district_id AS district_id,
       ST_Distance(piece.geom::geography, target.geom::geography) AS metres
FROM layers_districtpiece AS piece
JOIN layers_district AS district ON district.id = piece.district_id, target
WHERE piece.geom && ST_Expand(target.geom, %(pad_deg)s)
  AND ST_DWithin(piece.geom::geography, target.geom::geography, %(tolerance_m)s)
ORDER BY metres, district.code
LIMIT 1;
