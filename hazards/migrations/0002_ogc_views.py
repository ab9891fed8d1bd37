"""A view of the hazard zones with their layer's slug, kind and units, served as an OGC collection."""
from django.db import migrations

VIEW = """
CREATE VIEW ogc_hazard_zones AS
SELECT z.id, l.slug AS layer, l.kind, z.level, z.value, l.units, l.return_period_years, z.geom
FROM hazards_hazardzone AS z
JOIN hazards_hazardlayer AS l ON l.id = z.layer_id;
"""


class Migration(migrations.Migration):
    dependencies = [("hazards", "0001_initial")]
    operations = [migrations.RunSQL(VIEW, "DROP VIEW IF EXISTS ogc_hazard_zones;")]
