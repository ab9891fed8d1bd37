-- How many ballots a budget holds (opened by the count, and still sealed), and how many voters are recorded as
-- having voted (the two must agree).
SELECT ((SELECT count(*) FROM participation_ballot WHERE budget_id = %(budget)s)
        + (SELECT count(*) FROM participation_sealedballot WHERE budget_id = %(budget)s))::integer AS ballots,
       (SELECT count(*) FROM participation_ballotcast WHERE budget_id = %(budget)s)::integer AS voters
