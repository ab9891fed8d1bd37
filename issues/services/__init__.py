"""Writes of citizen reports: catalogue, reporting, lifecycle, re-routing and the outbox, a module each."""
