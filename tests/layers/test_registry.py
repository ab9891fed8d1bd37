"""The one collection registry and the change stamps the database keeps for its layers' source tables."""
import json

import pytest
from django.contrib.gis.geos import Point
from django.db import connection

from issues.models import Category, Issue
from issues.services.reporting import issue_report
from issues.services.reroute import issues_reroute
from layers import registry
from layers.change_stamps import stamp
from layers.models import HeritageSite
from layers.registry import Collection

pytestmark = pytest.mark.django_db
LAYERS = ["districts", "hazard-zones", "heritage-routes", "heritage-sites", "open-issues", "participation-implementation",
          "participation-meetings", "participation-projects", "participation-proposals", "public-issues", "service-points"]


def change_rows(source: str) -> tuple[int, int]:
    """(rows, sum of changes) of a source table in layers_change."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*), coalesce(sum(changes), 0) FROM layers_change WHERE source = %s", [source])
        return cursor.fetchone()


def test_one_registry_serves_ogc_the_catalogue_and_exposure(client):
    assert [c.id for c in registry.all_collections()] == LAYERS
    assert [c["id"] for c in client.get("/ogc/collections").json()["collections"]] == LAYERS
    catalogue = client.get("/ogc/catalogue.jsonld").json()
    assert [d["dct:identifier"] for d in catalogue["dcat:dataset"]] == LAYERS
    assert [c.id for c in registry.point_collections()] == ["heritage-sites", "open-issues", "participation-meetings",
                                                         "public-issues", "service-points"]


def test_registry_refuses_an_unknown_type_and_a_layer_without_sources():
    common = dict(id="x", title_en="X", title_el="Χ", description_en="", description_el="", table="t", id_column="id")
    with pytest.raises(ValueError, match="unknown property types"):
        Collection(**common, properties={"a": "colour"}, sources=("t",))
    with pytest.raises(ValueError, match="name the source tables"):
        Collection(**common, properties={"a": "string"}, sources=())


@pytest.mark.parametrize("collection", LAYERS)
def test_every_table_a_layer_reads_is_a_tracked_source(collection):
    """The tables behind each view (through views of views) are all among its sources, and each source has the
    statement trigger: no change to what a layer shows can leave its ETag as it was."""
    layer = registry.get(collection)
    with connection.cursor() as cursor:
        cursor.execute("""
            WITH RECURSIVE used(name) AS (
                SELECT %s::name
                UNION
                SELECT u.table_name::name FROM information_schema.view_table_usage AS u JOIN used ON u.view_name = used.name
            )
            SELECT name FROM used JOIN pg_class AS c ON c.relname = used.name WHERE c.relkind = 'r'
        """, [layer.table])
        tables = {name for (name,) in cursor.fetchall()}
        cursor.execute("SELECT DISTINCT c.relname FROM pg_trigger AS t JOIN pg_class AS c ON c.oid = t.tgrelid "
                       "WHERE t.tgname = 'layers_change_stamp'")
        tracked = {name for (name,) in cursor.fetchall()}
    assert tables and tables <= set(layer.sources) <= tracked


def test_a_statement_is_one_change_however_many_rows_it_touches():
    before = stamp(["layers_heritagesite"])
    rows_before, sum_before = change_rows("layers_heritagesite")
    assert HeritageSite.objects.update(period="renamed") == 21
    rows_after, sum_after = change_rows("layers_heritagesite")
    assert sum_after - sum_before == 1  # one change for 21 rows
    # one row appended, unless it was the 64th, which folds the table's rows into one
    assert rows_after == rows_before + 1 or rows_after == 1
    after = stamp(["layers_heritagesite"])
    assert after.key != before.key and after.changed_at >= before.changed_at


def test_bulk_rerouting_is_one_change_of_the_issues_table():
    category = Category.objects.get(service_code="pothole")
    for lon in (22.944, 22.945, 22.946, 22.947):
        issue_report(category=category, point=Point(lon, 40.634, srid=4326), actor="t")
    Issue.objects.update(district=None)  # every report loses its district: the re-route gives them back
    _, sum_before = change_rows("issues_issue")
    assert issues_reroute(actor="t").moved == 4
    assert change_rows("issues_issue")[1] - sum_before == 1


def test_folding_keeps_the_sum_and_the_table_small():
    _, sum_before = change_rows("layers_publicservice")
    with connection.cursor() as cursor:
        for _ in range(300):
            cursor.execute("UPDATE layers_publicservice SET phone = phone WHERE false")
    rows, total = change_rows("layers_publicservice")
    assert total - sum_before == 300 and rows < 70


def test_stamps_of_unrelated_tables_do_not_move():
    heritage, issues = stamp(registry.get("heritage-sites").sources), stamp(registry.get("public-issues").sources)
    issue_report(category=Category.objects.get(service_code="pothole"), point=Point(22.944, 40.634, srid=4326), actor="t")
    assert stamp(registry.get("heritage-sites").sources) == heritage
    assert stamp(registry.get("public-issues").sources) != issues


def test_exposure_counts_point_layers_only_and_open_issues_by_default(client):
    response = client.get("/api/hazards/exposure", {"layer": "flood-t100", "collections": "districts"})
    assert response.status_code == 400 and "districts is not a point layer" in response.json()["detail"]
    body = client.get("/api/hazards/exposure", {"layer": "flood-t100", "features": "false"}).json()
    assert [c["collection"] for c in body["collections"]] == ["heritage-sites", "open-issues", "service-points"]


def test_exposure_features_carry_the_layer_ids_and_public_properties_only(client):
    issue_report(category=Category.objects.get(service_code="pothole"), point=Point(22.9200, 40.6400, srid=4326), actor="t",
                 description="my phone is 6900000000")
    body = client.get("/api/hazards/exposure", {"layer": "flood-t1000", "collections": "open-issues,heritage-sites"}).json()
    issues, heritage = body["collections"]
    feature = next(f for d in issues["districts"] for f in d["features"])
    assert set(feature["properties"]) == set(registry.get("open-issues").properties) | {"level", "value"}
    assert "6900000000" not in json.dumps(body)
    assert "white-tower" in {f["id"] for d in heritage["districts"] for f in d["features"]}
