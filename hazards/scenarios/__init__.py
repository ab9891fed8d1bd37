"""Earthquake scenarios: ground motion on a grid from a rupture and a ground-motion model, intensity, and damage."""
