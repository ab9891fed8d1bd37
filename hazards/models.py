"""Hazard layer models."""
