"""Browsing at scale: the search's fold (lower case, no Greek accents, final sigma as σ) over the title and text with
a trigram index, and the seeded shuffle key of the random order."""
from django.db import migrations

SEARCH = """
CREATE FUNCTION participation_search_fold(text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    AS $$ SELECT translate(participation_fold($1), 'ς', 'σ') $$;
CREATE FUNCTION participation_search_text(title text, body text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT participation_search_fold(coalesce(title, '') || ' ' || coalesce(body, '')) $$;
CREATE FUNCTION participation_shuffle_key(id bigint, seed text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT md5(id::text || ':' || coalesce(seed, '')) $$;
CREATE INDEX proposal_search_trgm ON participation_proposal
    USING gin (participation_search_text(title, body) gin_trgm_ops);
CREATE INDEX proposal_process_supports ON participation_proposal (process_id, support_count DESC, id DESC);
"""

SEARCH_REVERSE = """
DROP INDEX IF EXISTS proposal_process_supports;
DROP INDEX IF EXISTS proposal_search_trgm;
DROP FUNCTION IF EXISTS participation_shuffle_key(bigint, text);
DROP FUNCTION IF EXISTS participation_search_text(text, text);
DROP FUNCTION IF EXISTS participation_search_fold(text);
"""


class Migration(migrations.Migration):

    dependencies = [("participation", "0006_choice_labels")]

    operations = [
        migrations.RunSQL(SEARCH, SEARCH_REVERSE),
    ]
