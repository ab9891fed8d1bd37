"""Change stamps of the layers' source tables, kept by the database.

A statement-level trigger appends one row to layers_change per INSERT, UPDATE, DELETE or TRUNCATE
statement on a tracked table (a bulk re-route of a million reports is one row, not a million). Rows are
only appended, never updated, so concurrent report creations never wait for each other here. A table's
stamp is the sum of its rows' `changes` (it grows by one with every committed statement, whatever the
commit order, so a stamp is never seen twice for different contents) with the highest id and the time of
the latest change. Every 64th row folds the table's committed rows into one row of the same sum, skipping
rows another transaction is folding, so the table stays small and readers always see the same sum.
The table is no Django model on purpose: a test-database flush must not reset the stamps.
"""
from django.db import migrations

SQL = """
CREATE TABLE layers_change (
    id bigserial PRIMARY KEY,
    source text NOT NULL,
    changes bigint NOT NULL DEFAULT 1 CHECK (changes > 0),
    changed_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX layers_change_source ON layers_change (source, id);
-- ids start at the microseconds since 1970, so a table made again (this migration reversed and applied)
-- never repeats the ids, and so the stamps, of the one before
SELECT setval('layers_change_id_seq', (extract(epoch FROM clock_timestamp()) * 1000000)::bigint);

CREATE FUNCTION layers_compact_changes(table_name text) RETURNS void LANGUAGE sql AS $$
    WITH folded AS (
        DELETE FROM layers_change
        WHERE id IN (SELECT id FROM layers_change WHERE source = table_name FOR UPDATE SKIP LOCKED)
        RETURNING changes, changed_at
    )
    INSERT INTO layers_change (source, changes, changed_at)
    SELECT table_name, sum(changes), max(changed_at) FROM folded HAVING count(*) > 0;
$$;

CREATE FUNCTION layers_note_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    new_id bigint;
BEGIN
    INSERT INTO layers_change (source) VALUES (TG_TABLE_NAME) RETURNING id INTO new_id;
    IF new_id % 64 = 0 THEN
        PERFORM layers_compact_changes(TG_TABLE_NAME);
    END IF;
    RETURN NULL;
END
$$;

-- Track a table: the statement trigger, and a first row so that its stamp has a time from the start.
CREATE FUNCTION layers_track_changes(tracked regclass) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('CREATE TRIGGER layers_change_stamp AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %s '
                   'FOR EACH STATEMENT EXECUTE FUNCTION layers_note_change()', tracked);
    INSERT INTO layers_change (source) SELECT relname FROM pg_class WHERE oid = tracked;
END
$$;

CREATE FUNCTION layers_untrack_changes(tracked regclass) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('DROP TRIGGER IF EXISTS layers_change_stamp ON %s', tracked);
    DELETE FROM layers_change WHERE source = (SELECT relname FROM pg_class WHERE oid = tracked);
END
$$;

SELECT layers_track_changes('layers_district');
SELECT layers_track_changes('layers_heritagesite');
SELECT layers_track_changes('layers_servicepoint');
SELECT layers_track_changes('layers_servicepoint_services');
SELECT layers_track_changes('layers_publicservice');
"""

REVERSE = """
SELECT layers_untrack_changes('layers_district');
SELECT layers_untrack_changes('layers_heritagesite');
SELECT layers_untrack_changes('layers_servicepoint');
SELECT layers_untrack_changes('layers_servicepoint_services');
SELECT layers_untrack_changes('layers_publicservice');
DROP FUNCTION layers_untrack_changes(regclass);
DROP FUNCTION layers_track_changes(regclass);
DROP FUNCTION layers_note_change();
DROP FUNCTION layers_compact_changes(text);
DROP TABLE layers_change;
"""


class Migration(migrations.Migration):
    dependencies = [("layers", "0007_area_pieces_trigger_restorable")]
    operations = [migrations.RunSQL(SQL, REVERSE)]
