-- Re-route reports in one statement: the district from the subdivided pieces (smallest code on an
-- edge; a report no district covers keeps the district it has, so a snapped pin stays snapped), the
-- department from the most specific rule (category in district, category, fallback), decided once per
-- (category, district) pair. Only reports whose district or department changes are written, and each
-- gets an internal history entry. With %(commit)s false nothing is written (a dry run). Returns how many were
-- examined and moved, and the moves per (from, to) department.
WITH candidates AS (
    SELECT i.id, i.category_id, i.district_id, i.department_id, i.location
    FROM issues_issue AS i
    WHERE %(include_closed)s OR i.status NOT IN ('resolved', 'closed')
),
covered AS (
    SELECT DISTINCT ON (c.id) c.id AS issue_id, piece.district_id
    FROM candidates AS c
    JOIN layers_districtpiece AS piece ON ST_Covers(piece.geom, c.location)
    JOIN layers_district AS d ON d.id = piece.district_id
    ORDER BY c.id, d.code
),
located AS (
    SELECT c.id AS issue_id, c.category_id,
           coalesce(cov.district_id, c.district_id) AS district_id,
           c.district_id AS old_district_id, c.department_id AS old_department_id
    FROM candidates AS c
    LEFT JOIN covered AS cov ON cov.issue_id = c.id
),
scopes AS (
    SELECT DISTINCT category_id, district_id FROM located
),
decided AS (
    SELECT s.category_id, s.district_id, rule.department_id,
           format('re-routed: district %%s; rule ''%%s in %%s'' routes to %%s',
                  coalesce(d.code, 'none'), coalesce(cat.service_code, 'any category'),
                  coalesce(rd.code, 'any district'), dep.slug) AS note
    FROM scopes AS s
    CROSS JOIN LATERAL (
        SELECT r.department_id, r.category_id, r.district_id
        FROM issues_routingrule AS r
        WHERE (r.category_id = s.category_id AND r.district_id = s.district_id)
           OR (r.category_id = s.category_id AND r.district_id IS NULL)
           OR (r.category_id IS NULL AND r.district_id IS NULL)
        ORDER BY r.category_id NULLS LAST, r.district_id NULLS LAST
        LIMIT 1
    ) AS rule
    JOIN issues_department AS dep ON dep.id = rule.department_id
    LEFT JOIN issues_category AS cat ON cat.id = rule.category_id
    LEFT JOIN layers_district AS rd ON rd.id = rule.district_id
    LEFT JOIN layers_district AS d ON d.id = s.district_id
),
changes AS (
    SELECT l.issue_id, l.old_department_id, dec.department_id, l.old_district_id, l.district_id, dec.note
    FROM located AS l
    JOIN decided AS dec
      ON dec.category_id = l.category_id AND coalesce(dec.district_id, 0) = coalesce(l.district_id, 0)
    WHERE l.old_district_id IS DISTINCT FROM l.district_id OR l.old_department_id IS DISTINCT FROM dec.department_id
),
moved AS (
    UPDATE issues_issue AS i
    SET district_id = c.district_id,
        department_id = c.department_id,
        routing_note = c.note,
        version = i.version + 1,
        updated_at = now()
    FROM changes AS c
    WHERE i.id = c.issue_id AND %(commit)s
    RETURNING i.id, c.old_department_id, c.department_id, c.old_district_id, c.district_id, c.note
),
history AS (
    INSERT INTO issues_issueupdate
        (issue_id, kind, from_status, to_status, close_reason, description, public, actor, author_name, changes,
         photo, created_at)
    SELECT m.id, 'routing', '', '', '', concat(m.note, ' (was ', old.slug, ')'), false, %(actor)s, '',
           jsonb_build_object('department', jsonb_build_array(old.slug, new.slug),
                              'district', jsonb_build_array(old_district.code, new_district.code)),
           '', now()
    FROM moved AS m
    JOIN issues_department AS old ON old.id = m.old_department_id
    JOIN issues_department AS new ON new.id = m.department_id
    LEFT JOIN layers_district AS old_district ON old_district.id = m.old_district_id
    LEFT JOIN layers_district AS new_district ON new_district.id = m.district_id
    RETURNING 1
)
SELECT (SELECT count(*) FROM changes) AS moved, (SELECT count(*) FROM candidates) AS examined,
       (SELECT coalesce(jsonb_agg(jsonb_build_array(per.from_slug, per.to_slug, per.reports)
                                  ORDER BY per.reports DESC, per.from_slug, per.to_slug), '[]')
        FROM (SELECT old.slug AS from_slug, new.slug AS to_slug, count(*) AS reports
              FROM changes AS c
              JOIN issues_department AS old ON old.id = c.old_department_id
              JOIN issues_department AS new ON new.id = c.department_id
              GROUP BY old.slug, new.slug) AS per) AS department_moves;
