"""The one list of views whose pages run inline scripts, and so need the Content-Security-Policy relaxed.

Every other page of the site works under `default-src 'self'; script-src 'self'; style-src 'self'`. The pages
below are folium's standalone HTML (server-generated printable maps): folium writes the map as an inline
<script> and inline <style>, while loading Leaflet and its CSS from this server (layers/printable_maps.py).
A view is added here by decorating it with @runs_inline_scripts; a per-view policy can then read the mark
(`view.runs_inline_scripts`) or this list.
"""

MARKED: list[str] = []  # "module.function" of every marked view


def runs_inline_scripts(view):
    """Mark a view whose answer is HTML with inline <script> and <style> (folium's standalone maps)."""
    view.runs_inline_scripts = True
    MARKED.append(f"{view.__module__}.{view.__qualname__}")
    return view
