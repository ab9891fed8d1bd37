-- The roadmap's figures for reports posted in [start, end), optionally of one department, district or
-- category. "Solved" means resolved (resolved_at is set; a reopened report is unsolved again); time to
-- resolve runs from posting to the last resolution; the backlog is open reports by age at as_of.
WITH scoped AS (
    SELECT i.*
    FROM issues_issue AS i
    WHERE i.created_at >= %(start)s AND i.created_at < %(end)s
      AND (%(department_id)s::bigint IS NULL OR i.department_id = %(department_id)s::bigint)
      AND (%(district_id)s::bigint IS NULL OR i.district_id = %(district_id)s::bigint)
      AND (%(category_id)s::bigint IS NULL OR i.category_id = %(category_id)s::bigint)
),
open_scoped AS (
    SELECT %(as_of)s::timestamptz - created_at AS age
    FROM scoped
    WHERE status = ANY(%(open_statuses)s)
)
SELECT
    (SELECT count(*) FROM scoped) AS posted,
    (SELECT count(*) FROM scoped WHERE resolved_at IS NOT NULL) AS solved,
    (SELECT avg(extract(epoch FROM resolved_at - created_at)) / 86400.0 FROM scoped WHERE resolved_at IS NOT NULL)
        AS mean_days_to_resolve,
    (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM resolved_at - created_at)) / 86400.0
       FROM scoped WHERE resolved_at IS NOT NULL) AS median_days_to_resolve,
    (SELECT count(*) FROM scoped WHERE reopened_count > 0) AS reopened,
    (SELECT count(*) FROM scoped WHERE status IN ('resolved', 'closed') OR reopened_count > 0) AS ever_finished,
    (SELECT count(*) FROM open_scoped WHERE age < interval '7 days') AS backlog_under_7_days,
    (SELECT count(*) FROM open_scoped WHERE age >= interval '7 days' AND age < interval '30 days') AS backlog_7_to_30_days,
    (SELECT count(*) FROM open_scoped WHERE age >= interval '30 days' AND age < interval '90 days') AS backlog_30_to_90_days,
    (SELECT count(*) FROM open_scoped WHERE age >= interval '90 days') AS backlog_over_90_days,
    (SELECT count(*) FROM issues_issueupdate AS u JOIN scoped AS s ON s.id = u.issue_id
      WHERE u.kind = 'comment' AND u.public) AS comments,
    (SELECT count(*) FROM issues_support AS sp JOIN scoped AS s ON s.id = sp.issue_id) AS supports;
