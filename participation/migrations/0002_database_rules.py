"""Rules the database keeps whatever the code does: phases of a process never overlap; a ballot stays within its
budget's rule (knapsack: costs fit the budget and spend at least the minimum share; approval: at most N projects)
and only holds projects of its own budget, checked at commit by deferred constraint triggers; the accent-free
lower-case title for similar wording (trigram index); the public layer views and their change stamps."""
from django.db import migrations

FOLD = """
CREATE EXTENSION IF NOT EXISTS btree_gist;
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS pg_trgm;
-- unaccent() is only STABLE (its dictionary could change); this wrapper names the dictionary, so it may be indexed
CREATE FUNCTION participation_fold(text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, $1)) $$;
CREATE INDEX proposal_title_trgm ON participation_proposal USING gin (participation_fold(title) gin_trgm_ops);
ALTER TABLE participation_phase ADD CONSTRAINT phase_no_overlap
    EXCLUDE USING gist (process_id WITH =, tstzrange(starts_at, ends_at) WITH &&);
"""
FOLD_REVERSE = """
ALTER TABLE participation_phase DROP CONSTRAINT IF EXISTS phase_no_overlap;
DROP INDEX IF EXISTS proposal_title_trgm;
DROP FUNCTION IF EXISTS participation_fold(text);
"""

BALLOT_RULES = """
CREATE FUNCTION participation_check_ballot() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    the_ballot uuid;
    b record;
    chosen integer;
    spent bigint;
    foreign_projects integer;
BEGIN
    IF TG_TABLE_NAME = 'participation_ballot' THEN
        the_ballot := COALESCE(NEW.id, OLD.id);
    ELSE
        the_ballot := COALESCE(NEW.ballot_id, OLD.ballot_id);
    END IF;
    SELECT bu.amount, bu.rule, bu.minimum_share, bu.max_projects, bu.id AS budget_id, ba.total_cost INTO b
    FROM participation_ballot ba JOIN participation_budget bu ON bu.id = ba.budget_id WHERE ba.id = the_ballot;
    IF NOT FOUND THEN
        RETURN NULL;  -- the ballot itself was deleted
    END IF;
    SELECT count(*), COALESCE(sum(p.cost), 0), count(*) FILTER (WHERE p.budget_id <> b.budget_id)
    INTO chosen, spent, foreign_projects
    FROM participation_ballotchoice c JOIN participation_project p ON p.id = c.project_id
    WHERE c.ballot_id = the_ballot;
    IF foreign_projects > 0 THEN
        RAISE EXCEPTION 'a ballot holds % project(s) of another budget', foreign_projects USING ERRCODE = '23514';
    END IF;
    IF chosen = 0 THEN
        RAISE EXCEPTION 'a ballot chooses at least one project' USING ERRCODE = '23514';
    END IF;
    IF spent <> b.total_cost THEN
        RAISE EXCEPTION 'a ballot''s total % differs from its projects'' costs %', b.total_cost, spent USING ERRCODE = '23514';
    END IF;
    IF b.rule = 'knapsack' THEN
        IF spent > b.amount THEN
            RAISE EXCEPTION 'ballot over budget: % spent of %', spent, b.amount USING ERRCODE = '23514';
        END IF;
        IF spent * 100 < b.amount * b.minimum_share THEN
            RAISE EXCEPTION 'ballot under the minimum: % spent, at least % %% of % needed', spent, b.minimum_share, b.amount
                USING ERRCODE = '23514';
        END IF;
    ELSIF chosen > b.max_projects THEN
        RAISE EXCEPTION 'ballot with % projects, at most %', chosen, b.max_projects USING ERRCODE = '23514';
    END IF;
    RETURN NULL;
END $$;
CREATE CONSTRAINT TRIGGER ballot_choice_rules AFTER INSERT OR UPDATE OR DELETE ON participation_ballotchoice
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION participation_check_ballot();
CREATE CONSTRAINT TRIGGER ballot_rules AFTER INSERT OR UPDATE ON participation_ballot
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION participation_check_ballot();
"""
BALLOT_RULES_REVERSE = """
DROP TRIGGER IF EXISTS ballot_choice_rules ON participation_ballotchoice;
DROP TRIGGER IF EXISTS ballot_rules ON participation_ballot;
DROP FUNCTION IF EXISTS participation_check_ballot();
"""

VIEWS = """
CREATE VIEW ogc_participation_proposals AS
SELECT p.id, pr.slug AS process, pr.kind AS process_kind, p.title, c.slug AS category, p.state,
       (SELECT ph.kind FROM participation_phase ph
        WHERE ph.process_id = pr.id AND ph.starts_at <= now() AND now() < ph.ends_at LIMIT 1) AS phase,
       d.code AS district,
       (SELECT string_agg(dd.code, ',' ORDER BY dd.code) FROM participation_proposaldistrict pd
        JOIN layers_district dd ON dd.id = pd.district_id WHERE pd.proposal_id = p.id) AS districts,
       CASE WHEN GeometryType(p.geom) IN ('POINT', 'MULTIPOINT') THEN 'point'
            WHEN GeometryType(p.geom) IN ('LINESTRING', 'MULTILINESTRING') THEN 'line' ELSE 'polygon' END AS geometry_kind,
       p.support_count,
       (SELECT count(*)::integer FROM participation_comment cm
        WHERE cm.proposal_id = p.id AND cm.hidden_at IS NULL) AS comment_count,
       p.published_at, p.geom
FROM participation_proposal p
JOIN participation_process pr ON pr.id = p.process_id AND pr.published
LEFT JOIN participation_proposalcategory c ON c.id = p.category_id
LEFT JOIN layers_district d ON d.id = p.district_id
WHERE p.state NOT IN ('draft', 'withdrawn') AND p.geom IS NOT NULL;

CREATE VIEW ogc_participation_projects AS
SELECT pj.id, pr.slug AS process, b.title_en AS budget, COALESCE(d.code, 'city') AS district,
       pj.title_el, pj.title_en, pj.cost::bigint AS cost,
       (SELECT count(*)::integer FROM participation_ballotchoice bc WHERE bc.project_id = pj.id) AS votes,
       pj.proposal_id, pj.geom
FROM participation_project pj
JOIN participation_budget b ON b.id = pj.budget_id
JOIN participation_process pr ON pr.id = b.process_id AND pr.published
LEFT JOIN layers_district d ON d.id = b.district_id
WHERE pj.selected AND pj.geom IS NOT NULL;
"""
VIEWS_REVERSE = "DROP VIEW IF EXISTS ogc_participation_projects; DROP VIEW IF EXISTS ogc_participation_proposals;"

TRACKED = ("participation_proposal", "participation_process", "participation_phase", "participation_proposalcategory",
           "participation_proposaldistrict", "participation_comment", "participation_project", "participation_budget")


class Migration(migrations.Migration):
    dependencies = [("participation", "0001_initial"), ("layers", "0008_layer_change_stamps")]
    operations = [
        migrations.RunSQL(FOLD, FOLD_REVERSE),
        migrations.RunSQL(BALLOT_RULES, BALLOT_RULES_REVERSE),
        migrations.RunSQL(VIEWS, VIEWS_REVERSE),
        migrations.RunSQL(
            [("SELECT layers_track_changes(%s)", [table]) for table in TRACKED],
            [("SELECT layers_untrack_changes(%s)", [table]) for table in TRACKED],
        ),
    ]
