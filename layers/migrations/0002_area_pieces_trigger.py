"""Keep the ST_Subdivide pieces of every municipality and district in step with its boundary.

Point-in-polygon lookups (as mySociety's MapIt does them) run ST_Covers against these small pieces,
not the whole boundary. A trigger rebuilds an area's pieces whenever its geometry is inserted or
changed, so the admin, the importers and raw SQL all keep them right; deletes cascade.
"""
from django.db import migrations

MAX_VERTICES = 64

TRIGGER_SQL = """
CREATE FUNCTION {table}_pieces_rebuild() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM {piece_table} WHERE {fk} = NEW.id;
    INSERT INTO {piece_table} ({fk}, geom)
    SELECT NEW.id, dumped.geom
    FROM ST_Subdivide(ST_MakeValid(NEW.geom), {max_vertices}) AS piece(geom)
    CROSS JOIN LATERAL ST_Dump(piece.geom) AS dumped
    WHERE ST_GeometryType(dumped.geom) = 'ST_Polygon';
    RETURN NULL;
END
$$;
CREATE TRIGGER {table}_pieces_on_insert AFTER INSERT ON {table}
    FOR EACH ROW EXECUTE FUNCTION {table}_pieces_rebuild();
CREATE TRIGGER {table}_pieces_on_update AFTER UPDATE OF geom ON {table}
    FOR EACH ROW WHEN (OLD.geom IS DISTINCT FROM NEW.geom) EXECUTE FUNCTION {table}_pieces_rebuild();
INSERT INTO {piece_table} ({fk}, geom)
    SELECT area.id, dumped.geom
    FROM {table} AS area
    CROSS JOIN LATERAL ST_Subdivide(ST_MakeValid(area.geom), {max_vertices}) AS piece(geom)
    CROSS JOIN LATERAL ST_Dump(piece.geom) AS dumped
    WHERE ST_GeometryType(dumped.geom) = 'ST_Polygon';
"""

REVERSE_SQL = """
DROP TRIGGER IF EXISTS {table}_pieces_on_insert ON {table};
DROP TRIGGER IF EXISTS {table}_pieces_on_update ON {table};
DROP FUNCTION IF EXISTS {table}_pieces_rebuild();
DELETE FROM {piece_table};
"""

AREAS = [
    {"table": "layers_municipality", "piece_table": "layers_municipalitypiece", "fk": "municipality_id"},
    {"table": "layers_district", "piece_table": "layers_districtpiece", "fk": "district_id"},
]


class Migration(migrations.Migration):
    dependencies = [("layers", "0001_initial")]

    operations = [
        migrations.RunSQL(
            TRIGGER_SQL.format(max_vertices=MAX_VERTICES, **area), REVERSE_SQL.format(**area)
        )
        for area in AREAS
    ]
