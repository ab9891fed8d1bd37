"""The planners' pages: the hazard map and the printable district hazard and exposure report."""
