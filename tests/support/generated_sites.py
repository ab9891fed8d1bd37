"""Heritage sites made in bulk by a test: a layer long enough to page through, to stream in several pieces or to be
slow to filter. Points on a grid of 1,000 a row from 22.90 E, 40.60 N, 0.0001 degrees apart (inside the city)."""

GENERATED_SITES = """
    INSERT INTO layers_heritagesite (slug, name_el, name_en, kind, period, unesco_component, description_el,
                                     description_en, image_url, geom, provenance, updated_at)
    SELECT 'generated-' || n, 'Μνημείο ' || n, 'Site ' || n, 'monument', '', false, '',
           repeat('a long description of a generated site ', %(repeats)s), '',
           ST_SetSRID(ST_MakePoint(22.90 + (n %% 1000) * 0.0001, 40.60 + (n / 1000) * 0.0001), 4326), 'test', now()
    FROM generate_series(1, %(count)s) AS n"""


def generated_sites(cursor, count: int, *, repeats: int = 20) -> None:
    """Add `count` sites, each with an English description of `repeats` times 40 characters, on this cursor
    (Django's or psycopg's)."""
    cursor.execute(GENERATED_SITES, {"count": count, "repeats": repeats})
