"""Change stamps on the hazard tables (see layers 0007): the hazard-zones layer and the raster tiles and
legends follow them."""
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("hazards", "0002_ogc_views"), ("layers", "0008_layer_change_stamps")]
    operations = [migrations.RunSQL(
        "SELECT layers_track_changes('hazards_hazardlayer'); SELECT layers_track_changes('hazards_hazardzone');",
        "SELECT layers_untrack_changes('hazards_hazardlayer'); SELECT layers_untrack_changes('hazards_hazardzone');",
    )]
