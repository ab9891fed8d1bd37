SELECT c.project_id FROM participation_ballot b JOIN participation_ballotchoice c ON c.ballot_id = b.id
WHERE b.budget_id = %(budget)s AND b.voter_key = %(voter_key)s ORDER BY c.project_id
