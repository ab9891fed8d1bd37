-- Per district, figures for reports posted in [start, end), as a GeoJSON FeatureCollection for a
-- choropleth; districts with no reports are there with zeros.
WITH figures AS (
    SELECT d.id, d.code, d.name_el, d.name_en, d.geom,
           count(i.id) AS posted,
           count(i.id) FILTER (WHERE i.status = ANY(%(open_statuses)s)) AS open,
           count(i.id) FILTER (WHERE i.resolved_at IS NOT NULL) AS solved,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM i.resolved_at - i.created_at))
               FILTER (WHERE i.resolved_at IS NOT NULL) / 86400.0 AS median_days_to_resolve
    FROM layers_district AS d
    LEFT JOIN issues_issue AS i
      ON i.district_id = d.id
     AND i.created_at >= %(start)s AND i.created_at < %(end)s
     AND (%(department_id)s::bigint IS NULL OR i.department_id = %(department_id)s::bigint)
     AND (%(category_id)s::bigint IS NULL OR i.category_id = %(category_id)s::bigint)
    GROUP BY d.id
)
SELECT json_build_object(
    'type', 'FeatureCollection',
    'features', coalesce(json_agg(json_build_object(
        'type', 'Feature',
        'id', f.code,
        'geometry', ST_AsGeoJSON(f.geom, 6)::json,
        'properties', json_build_object(
            'code', f.code, 'name_el', f.name_el, 'name_en', f.name_en,
            'posted', f.posted, 'open', f.open, 'solved', f.solved,
            'share_solved', CASE WHEN f.posted > 0 THEN round(f.solved::numeric / f.posted, 4) END,
            'median_days_to_resolve', round(f.median_days_to_resolve::numeric, 2)
        )
    ) ORDER BY f.code), '[]'::json)
) AS collection
FROM figures AS f;
