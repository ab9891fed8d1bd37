-- The roadmap's indicators, grouped by process (slug), district (code; 'city' for city-wide budgets and
-- ideas) or month (YYYY-MM), or all together ('all'). An act is a published proposal, an accepted co-authorship,
-- a support, a comment or a vote (who voted, from the table kept apart from the ballots). Co-creation participants:
-- the distinct accounts with an accepted co-author invitation or an accepted request to join a collaborative draft
-- (amendments are not part of the platform). Acts in demo processes or on demo proposals count only with
-- include_demo. Meeting attendees: the number who attended the closed in-person meetings, as counted by staff
-- (people, not accounts: they add to no distinct count), in the meeting's district.
WITH acts AS (
    SELECT p.author_id AS user_id, p.process_id, p.district_id, coalesce(p.published_at, p.created_at) AS at,
           'proposal' AS kind, p.demo, NULL::integer AS attendees
    FROM participation_proposal p WHERE p.state <> 'draft'
    UNION ALL
    SELECT ca.user_id, p.process_id, p.district_id, ca.accepted_at, 'coauthor', p.demo, NULL
    FROM participation_coauthor ca JOIN participation_proposal p ON p.id = ca.proposal_id
    WHERE ca.accepted_at IS NOT NULL
    UNION ALL
    SELECT j.user_id, p.process_id, p.district_id, j.answered_at, 'coauthor', p.demo, NULL
    FROM participation_joinrequest j JOIN participation_proposal p ON p.id = j.proposal_id
    WHERE j.state = 'accepted'
    UNION ALL
    SELECT s.user_id, s.process_id, p.district_id, s.created_at, 'support', p.demo, NULL
    FROM participation_support s JOIN participation_proposal p ON p.id = s.proposal_id
    UNION ALL
    SELECT c.author_id, p.process_id, p.district_id, c.created_at, 'comment', p.demo, NULL
    FROM participation_comment c JOIN participation_proposal p ON p.id = c.proposal_id
    UNION ALL
    SELECT bc.user_id, b.process_id, b.district_id, bc.month::timestamptz, 'vote', false, NULL
    FROM participation_ballotcast bc JOIN participation_budget b ON b.id = bc.budget_id
    UNION ALL
    SELECT NULL, m.process_id, md.id, m.starts_at, 'meeting', m.demo, m.attendees::integer
    FROM participation_meeting m
    LEFT JOIN LATERAL (SELECT d.id FROM layers_district d WHERE ST_Intersects(d.geom, m.geom) LIMIT 1) md ON true
    WHERE m.closed_at IS NOT NULL AND m.mode = 'in_person' AND m.attendees > 0
),
keyed AS (
    SELECT a.*,
           CASE %(by)s WHEN 'process' THEN pr.slug
                       WHEN 'district' THEN coalesce(d.code, 'city')
                       WHEN 'month' THEN to_char(a.at AT TIME ZONE 'Europe/Athens', 'YYYY-MM')
                       ELSE 'all' END AS key
    FROM acts a
    JOIN participation_process pr ON pr.id = a.process_id AND pr.published
    LEFT JOIN layers_district d ON d.id = a.district_id
    WHERE %(include_demo)s OR NOT (pr.demo OR a.demo)
)
SELECT key,
       count(DISTINCT process_id)::integer AS initiatives,
       count(DISTINCT user_id)::integer AS participants,
       (count(*) FILTER (WHERE kind = 'proposal'))::integer AS proposals,
       (count(*) FILTER (WHERE kind = 'comment'))::integer AS comments,
       (count(*) FILTER (WHERE kind = 'support'))::integer AS supports,
       (count(*) FILTER (WHERE kind = 'vote'))::integer AS votes,
       (count(DISTINCT user_id) FILTER (WHERE kind = 'coauthor'))::integer AS co_creation_participants,
       coalesce(sum(attendees) FILTER (WHERE kind = 'meeting'), 0)::integer AS meeting_attendees
FROM keyed
GROUP BY key
ORDER BY key
