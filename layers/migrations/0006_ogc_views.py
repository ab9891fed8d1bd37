"""A view of service points with the identifiers of their services, served as an OGC collection."""
from django.db import migrations

VIEW = """
CREATE VIEW ogc_service_points AS
SELECT p.slug, p.name_el, p.name_en, p.address, p.opening_hours,
       coalesce(string_agg(s.identifier, ';' ORDER BY s.identifier), '') AS services,
       p.geom
FROM layers_servicepoint AS p
LEFT JOIN layers_servicepoint_services AS ps ON ps.servicepoint_id = p.id
LEFT JOIN layers_publicservice AS s ON s.id = ps.publicservice_id
GROUP BY p.id;
"""


class Migration(migrations.Migration):
    dependencies = [("layers", "0005_heritage_and_services")]
    operations = [migrations.RunSQL(VIEW, "DROP VIEW IF EXISTS ogc_service_points;")]
