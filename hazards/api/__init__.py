"""REST API of the hazard layers."""
