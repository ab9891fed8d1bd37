-- The bounds, in the Greek Grid (EPSG:2100), of every municipality on record (the served one and its
-- neighbours), grown by a margin in metres: the area a scenario's grid covers.
SELECT ST_XMin(box) AS west, ST_YMin(box) AS south, ST_XMax(box) AS east, ST_YMax(box) AS north
FROM (SELECT ST_Expand(ST_Extent(ST_Transform(geom, 2100))::geometry, %(margin)s) AS box FROM layers_municipality) AS b;
