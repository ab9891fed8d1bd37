"""A record's change time (what OAI-PMH harvests by) follows what its EDM shows from elsewhere: a heritage site's
name or place (kept in `layers`) and its organisation's name. The time is the clock's, as Django's auto_now
gives it, not the transaction's start."""
from django.db import migrations

FORWARD = """
CREATE FUNCTION heritage_site_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE heritage_culturalobject AS o SET modified = clock_timestamp()
    FROM heritage_monument AS m WHERE m.site_id = NEW.id AND o.monument_id = m.id;
  RETURN NEW;
END $$;
CREATE TRIGGER heritage_site_changed AFTER UPDATE ON layers_heritagesite FOR EACH ROW
  WHEN (OLD.name_el IS DISTINCT FROM NEW.name_el OR OLD.name_en IS DISTINCT FROM NEW.name_en
        OR OLD.slug IS DISTINCT FROM NEW.slug OR NOT ST_Equals(OLD.geom, NEW.geom))
  EXECUTE FUNCTION heritage_site_changed();
CREATE FUNCTION heritage_organisation_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE heritage_culturalobject SET modified = clock_timestamp() WHERE organisation_id = NEW.id;
  RETURN NEW;
END $$;
CREATE TRIGGER heritage_organisation_changed AFTER UPDATE ON heritage_organisation FOR EACH ROW
  WHEN (OLD.name_el IS DISTINCT FROM NEW.name_el OR OLD.name_en IS DISTINCT FROM NEW.name_en
        OR OLD.slug IS DISTINCT FROM NEW.slug)
  EXECUTE FUNCTION heritage_organisation_changed();
"""
REVERSE = """
DROP TRIGGER IF EXISTS heritage_site_changed ON layers_heritagesite;
DROP FUNCTION IF EXISTS heritage_site_changed();
DROP TRIGGER IF EXISTS heritage_organisation_changed ON heritage_organisation;
DROP FUNCTION IF EXISTS heritage_organisation_changed();
"""


class Migration(migrations.Migration):
    dependencies = [("heritage", "0001_initial")]
    operations = [migrations.RunSQL(FORWARD, REVERSE)]
