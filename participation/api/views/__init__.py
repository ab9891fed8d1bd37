"""The participation API under /api/participation/, a module per concept (base.py: the base view and its refusals)."""
