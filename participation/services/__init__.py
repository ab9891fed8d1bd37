"""Writes of participation, one module per concern: proposals (and their history, photos, co-authors, answers),
engagement (supports, comments), verification (census, residence, e-mail) and budgets (projects, ballots, results)."""
