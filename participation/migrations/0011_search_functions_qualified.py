"""The search functions name the functions they call with their schema, as participation_fold does: a restore
(pg_restore runs with an empty search_path) inlines them into the generated search column and its index."""
from django.db import migrations

QUALIFIED = """
CREATE OR REPLACE FUNCTION participation_search_fold(text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    AS $$ SELECT pg_catalog.translate(public.participation_fold($1), 'ς', 'σ') $$;
CREATE OR REPLACE FUNCTION participation_search_text(title text, body text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT public.participation_search_fold(coalesce(title, '') || ' ' || coalesce(body, '')) $$;
"""
UNQUALIFIED = """
CREATE OR REPLACE FUNCTION participation_search_fold(text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    AS $$ SELECT translate(participation_fold($1), 'ς', 'σ') $$;
CREATE OR REPLACE FUNCTION participation_search_text(title text, body text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT participation_search_fold(coalesce(title, '') || ' ' || coalesce(body, '')) $$;
"""


class Migration(migrations.Migration):

    dependencies = [("participation", "0010_ballot_secrecy_and_meetings")]

    operations = [migrations.RunSQL(QUALIFIED, UNQUALIFIED)]
