-- Clusters of open reports: ST_ClusterDBSCAN in the Greek Grid (EPSG:2100, metres) with eps metres and
-- min_size reports, each cluster with its count, dominant category (ties: alphabetical) and convex hull.
WITH open_reports AS (
    SELECT i.id, c.service_code, ST_Transform(i.location, 2100) AS g
    FROM issues_issue AS i
    JOIN issues_category AS c ON c.id = i.category_id
    WHERE i.status = ANY(%(open_statuses)s)
      AND (%(department_id)s::bigint IS NULL OR i.department_id = %(department_id)s::bigint)
      AND (%(category_id)s::bigint IS NULL OR i.category_id = %(category_id)s::bigint)
),
clustered AS (
    SELECT id, service_code, g, ST_ClusterDBSCAN(g, eps => %(eps_m)s, minpoints => %(min_size)s) OVER () AS cluster
    FROM open_reports
),
per_category AS (
    SELECT DISTINCT ON (cluster) cluster, service_code, count(*) OVER (PARTITION BY cluster, service_code) AS n
    FROM clustered
    WHERE cluster IS NOT NULL
    ORDER BY cluster, n DESC, service_code
),
clusters AS (
    SELECT cluster, count(*) AS reports, ST_Collect(g) AS points, array_agg(id ORDER BY id) AS ids
    FROM clustered
    WHERE cluster IS NOT NULL
    GROUP BY cluster
)
SELECT json_build_object(
    'type', 'FeatureCollection',
    'features', coalesce(json_agg(json_build_object(
        'type', 'Feature',
        'id', c.cluster,
        'geometry', ST_AsGeoJSON(ST_Transform(ST_ConvexHull(c.points), 4326), 7)::json,
        'properties', json_build_object(
            'reports', c.reports,
            'dominant_category', p.service_code,
            'dominant_category_reports', p.n,
            'centroid', ST_AsGeoJSON(ST_Transform(ST_Centroid(c.points), 4326), 7)::json,
            'issue_ids', c.ids
        )
    ) ORDER BY c.reports DESC, c.cluster), '[]'::json)
) AS collection
FROM clusters AS c
JOIN per_category AS p ON p.cluster = c.cluster;
