"""Settings: `base` holds everything, `dev`, `test` and `production` override it from the environment."""
