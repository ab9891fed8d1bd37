"""Reference geography (municipalities, districts) and the machinery that serves layers."""
