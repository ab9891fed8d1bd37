-- For each given report, the other open reports of its category within its category's radius and
-- reported within its category's window of it, nearest first.
SELECT i.id AS issue_id,
       array_agg(other.id ORDER BY ST_Distance(other.location::geography, i.location::geography), other.id) AS duplicate_ids
FROM issues_issue AS i
JOIN issues_category AS c ON c.id = i.category_id
JOIN issues_issue AS other
  ON other.category_id = i.category_id
 AND other.id <> i.id
 AND other.status = ANY(%(open_statuses)s)
 AND other.created_at BETWEEN i.created_at - make_interval(days => c.duplicate_window_days)
                          AND i.created_at + make_interval(days => c.duplicate_window_days)
 AND other.location && ST_Expand(i.location, c.duplicate_radius_m * %(degrees_per_metre)s)
 AND ST_DWithin(other.location::geography, i.location::geography, c.duplicate_radius_m)
WHERE i.id = ANY(%(ids)s)
GROUP BY i.id;
