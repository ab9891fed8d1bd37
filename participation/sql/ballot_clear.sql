-- A statement of its own, after the upsert: under READ COMMITTED it sees the choices a concurrent
-- submission of the same voter committed while this one waited, and removes them.
DELETE FROM participation_ballotchoice WHERE ballot_id = %(ballot)s
