-- Who voted, and beside it their ballot sealed under the ballot key (one statement, in the vote's transaction: an
-- acknowledged vote is never lost). Voting again replaces the sealed ballot; the row saying who voted stays one.
-- What was chosen is never here in clear: the count opens the sealed ballots into anonymous ones after the vote.
WITH cast_row AS (
    INSERT INTO participation_ballotcast (budget_id, user_id, month) VALUES (%(budget)s, %(user)s, %(month)s)
    ON CONFLICT (budget_id, user_id) DO UPDATE SET month = participation_ballotcast.month
    RETURNING id
)
INSERT INTO participation_sealedballot (cast_id, budget_id, sealed)
SELECT id, %(budget)s, %(sealed)s FROM cast_row
ON CONFLICT (cast_id) DO UPDATE SET sealed = EXCLUDED.sealed
