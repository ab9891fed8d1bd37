-- Each project of a budget with its votes, ranked: most votes first; on equal votes the cheaper project
-- first (more of the budget left for the next), then the one put on the ballot first (smaller id).
SELECT p.id AS project_id, p.title_el, p.title_en, p.cost, p.proposal_id,
       (SELECT count(*) FROM participation_ballotchoice c WHERE c.project_id = p.id)::integer AS votes
FROM participation_project p
WHERE p.budget_id = %(budget)s
ORDER BY votes DESC, p.cost ASC, p.id ASC
