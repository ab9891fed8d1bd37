-- Reports posted, and of those solved, per calendar month (Athens time) in [start, end).
SELECT to_char(date_trunc('month', i.created_at AT TIME ZONE 'Europe/Athens'), 'YYYY-MM') AS month,
       count(*) AS posted,
       count(*) FILTER (WHERE i.resolved_at IS NOT NULL) AS solved
FROM issues_issue AS i
WHERE i.created_at >= %(start)s AND i.created_at < %(end)s
  AND (%(department_id)s::bigint IS NULL OR i.department_id = %(department_id)s::bigint)
  AND (%(district_id)s::bigint IS NULL OR i.district_id = %(district_id)s::bigint)
  AND (%(category_id)s::bigint IS NULL OR i.category_id = %(category_id)s::bigint)
GROUP BY 1
ORDER BY 1;
