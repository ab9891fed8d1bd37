"""Hazard layers (vector zones and rasters) and the resilience queries on them."""
