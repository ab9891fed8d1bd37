"""The open reports (new, acknowledged, in progress, reopened) as a layer of their own, with the same
privacy-safe fields as ogc_public_issues."""
from django.db import migrations

VIEW = """
CREATE VIEW ogc_open_issues AS
SELECT * FROM ogc_public_issues WHERE status IN ('new', 'acknowledged', 'in_progress', 'reopened');
"""


class Migration(migrations.Migration):
    dependencies = [("issues", "0005_ogc_views")]
    operations = [migrations.RunSQL(VIEW, "DROP VIEW IF EXISTS ogc_open_issues;")]
