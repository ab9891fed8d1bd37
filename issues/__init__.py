"""Citizen issue reporting: departments, Open311 categories, routing rules."""
