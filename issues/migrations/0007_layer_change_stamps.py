"""Change stamps on the tables the public issue layers read (see layers 0007). On the report-creation
path this is one appended row per statement, with no row another transaction waits for."""
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("issues", "0006_ogc_open_issues"), ("layers", "0008_layer_change_stamps")]
    operations = [migrations.RunSQL(
        "SELECT layers_track_changes('issues_issue'); SELECT layers_track_changes('issues_category'); "
        "SELECT layers_track_changes('issues_department');",
        "SELECT layers_untrack_changes('issues_issue'); SELECT layers_untrack_changes('issues_category'); "
        "SELECT layers_untrack_changes('issues_department');",
    )]
