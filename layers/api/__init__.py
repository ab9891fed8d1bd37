"""REST API of the layers app."""
