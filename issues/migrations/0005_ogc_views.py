"""Public issue reports with privacy-safe fields only (never the reporter's details), as an OGC collection."""
from django.db import migrations

VIEW = """
CREATE VIEW ogc_public_issues AS
SELECT i.id, c.service_code, c.name_en AS category_en, c.name_el AS category_el, i.status,
       CASE WHEN i.status IN ('new', 'acknowledged', 'in_progress', 'reopened') THEN 'open' ELSE 'closed' END AS open311_status,
       i.priority, d.code AS district, dep.slug AS department, i.created_at, i.updated_at, i.location AS geom
FROM issues_issue AS i
JOIN issues_category AS c ON c.id = i.category_id
JOIN issues_department AS dep ON dep.id = i.department_id
LEFT JOIN layers_district AS d ON d.id = i.district_id;
"""


class Migration(migrations.Migration):
    dependencies = [("issues", "0004_hazard_priority"), ("layers", "0006_ogc_views")]
    operations = [migrations.RunSQL(VIEW, "DROP VIEW IF EXISTS ogc_public_issues;")]
