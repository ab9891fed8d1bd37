-- A vote holds its budget in share mode; the count (ballots_unseal) takes it exclusively, so it waits for the votes
-- being written, and a vote after it finds the phase closed.
SELECT id FROM participation_budget WHERE id = %(budget)s FOR SHARE
