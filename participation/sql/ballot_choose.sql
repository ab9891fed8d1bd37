-- Random ids, so that the choices' order says nothing about when (or by whom) a ballot was cast.
INSERT INTO participation_ballotchoice (id, ballot_id, project_id)
SELECT gen_random_uuid(), %(ballot)s, project FROM unnest(%(projects)s::bigint[]) AS project
