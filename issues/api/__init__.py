"""REST API of the issues app."""
