-- The voter's one ballot in a budget: created, or found again by its voter key (waiting for a concurrent
-- submission of the same voter to finish). No person and no time are stored with it.
INSERT INTO participation_ballot (id, budget_id, voter_key, total_cost)
VALUES (gen_random_uuid(), %(budget)s, %(voter_key)s, %(total)s)
ON CONFLICT (budget_id, voter_key) DO UPDATE SET total_cost = EXCLUDED.total_cost
RETURNING id
