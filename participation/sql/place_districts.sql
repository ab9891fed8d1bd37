-- The districts a line or polygon lies in, with the length or area (true metres) in each, and the part outside
-- every district with the municipalities it lies in. Candidates come from the subdivided district pieces
-- (MapIt's way, GiST-indexed); polygon areas are summed over the pieces (they partition the district), line
-- lengths measured on the district itself, so that a line on an internal cut of the pieces counts once.
-- A stretch of line along a boundary between two districts belongs to both; the caller splits it equally.
WITH g AS (
    SELECT ST_SetSRID(ST_GeomFromGeoJSON(%(geojson)s), 4326) AS geom
),
touching AS (
    SELECT DISTINCT pc.district_id FROM layers_districtpiece pc, g WHERE ST_Intersects(pc.geom, g.geom)
),
inside AS (
    SELECT pc.district_id, sum(ST_Area(ST_Intersection(pc.geom, g.geom)::geography)) AS measure
    FROM layers_districtpiece pc, g
    WHERE ST_Dimension(g.geom) = 2 AND ST_Intersects(pc.geom, g.geom)
    GROUP BY pc.district_id
    UNION ALL
    SELECT d.id, ST_Length(ST_Intersection(d.geom, g.geom)::geography)
    FROM touching t JOIN layers_district d ON d.id = t.district_id, g
    WHERE ST_Dimension(g.geom) = 1
),
outside AS (
    SELECT ST_Difference(g.geom, COALESCE(
        (SELECT ST_Union(d.geom) FROM touching t JOIN layers_district d ON d.id = t.district_id),
        ST_GeomFromText('POLYGON EMPTY', 4326))) AS geom
    FROM g
),
outside_measured AS (
    SELECT o.geom, CASE WHEN ST_Dimension(g.geom) = 2 THEN ST_Area(o.geom::geography)
                        ELSE ST_Length(o.geom::geography) END AS measure
    FROM outside o, g WHERE NOT ST_IsEmpty(o.geom)
)
SELECT 'district' AS kind, d.code, d.name_el, d.name_en, i.district_id, i.measure
FROM inside i JOIN layers_district d ON d.id = i.district_id
WHERE i.measure > 0
UNION ALL
SELECT 'outside', m.code, m.name_el, m.name_en, NULL, om.measure
FROM outside_measured om
LEFT JOIN LATERAL (
    SELECT DISTINCT mu.code, mu.name_el, mu.name_en FROM layers_municipalitypiece mp
    JOIN layers_municipality mu ON mu.id = mp.municipality_id
    WHERE ST_Intersects(mp.geom, om.geom) AND mu.code <> %(home)s
) m ON TRUE
WHERE om.measure > 0
ORDER BY 1, 2;
