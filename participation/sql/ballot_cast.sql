-- Who voted (for turnout and the monthly figures), in a table with no link to what was chosen.
INSERT INTO participation_ballotcast (budget_id, user_id, month) VALUES (%(budget)s, %(user)s, %(month)s)
ON CONFLICT (budget_id, user_id) DO NOTHING
