"""The update triggers that rebuild an area's pieces compare the geometries' bytes, so that a pg_dump restores.

`OLD.geom IS DISTINCT FROM NEW.geom` uses PostGIS's geometry = operator, which the IS DISTINCT FROM syntax
cannot name with its schema; pg_restore runs with an empty search_path and then finds no unique operator,
and the whole restore fails. ST_AsEWKB(...) IS DISTINCT FROM ST_AsEWKB(...) compares bytea with the built-in
operator (any change of a coordinate, of the type or of the SRID counts) and dumps with the function's schema.
"""
from django.db import migrations

TRIGGER = """
DROP TRIGGER {table}_pieces_on_update ON {table};
CREATE TRIGGER {table}_pieces_on_update AFTER UPDATE OF geom ON {table}
    FOR EACH ROW WHEN ({condition}) EXECUTE FUNCTION {table}_pieces_rebuild();
"""
BYTES_DIFFER = "ST_AsEWKB(OLD.geom) IS DISTINCT FROM ST_AsEWKB(NEW.geom)"
GEOMETRIES_DIFFER = "OLD.geom IS DISTINCT FROM NEW.geom"
TABLES = ["layers_municipality", "layers_district"]


class Migration(migrations.Migration):
    dependencies = [("layers", "0006_ogc_views")]

    operations = [
        migrations.RunSQL(TRIGGER.format(table=table, condition=BYTES_DIFFER), TRIGGER.format(table=table, condition=GEOMETRIES_DIFFER))
        for table in TABLES
    ]
