"""The participation API under /api/participation/, a module per concept: processes, proposals, engagement,
budgets (ballots, results), figures and verification (base.py: the base view and its refusals)."""
