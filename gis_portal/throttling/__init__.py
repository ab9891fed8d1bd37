"""Limits kept in the database, so that every worker process shares them: anonymous writes per client,
and the sign-in lock-out after repeated failures."""
