-- Open reports counted on a square grid of cell_m metres in the Greek Grid (EPSG:2100), as GeoJSON cells.
WITH open_reports AS (
    SELECT ST_Transform(i.location, 2100) AS g
    FROM issues_issue AS i
    WHERE i.status = ANY(%(open_statuses)s)
      AND (%(department_id)s::bigint IS NULL OR i.department_id = %(department_id)s::bigint)
      AND (%(category_id)s::bigint IS NULL OR i.category_id = %(category_id)s::bigint)
),
cells AS (
    SELECT floor(ST_X(g) / %(cell_m)s) AS col, floor(ST_Y(g) / %(cell_m)s) AS row, count(*) AS reports
    FROM open_reports
    GROUP BY 1, 2
)
SELECT json_build_object(
    'type', 'FeatureCollection',
    'cell_m', %(cell_m)s,
    'features', coalesce(json_agg(json_build_object(
        'type', 'Feature',
        'geometry', ST_AsGeoJSON(ST_Transform(ST_MakeEnvelope(
            col * %(cell_m)s, row * %(cell_m)s, (col + 1) * %(cell_m)s, (row + 1) * %(cell_m)s, 2100), 4326), 7)::json,
        'properties', json_build_object('reports', reports)
    ) ORDER BY reports DESC, row, col), '[]'::json)
) AS collection
FROM cells;
