"""The public map layers of participation: OGC API items, vector tiles, downloads and the catalogue hold
published proposals and selected projects with public fields only, never an author, supporter or ballot."""
import json
import math

import mapbox_vector_tile
import pyogrio
import pytest
from django.contrib.gis.geos import LineString, Point

from participation.models import Project
from participation.services.budgets import ballot_submit, results_publish
from participation.services.engagement import comment_post, support_give
from participation.services.proposals import proposal_create
from tests.support.patient_client import PatientClient

from .conftest import inside_point, make_budget, make_process, set_phase

pytestmark = pytest.mark.django_db
PRIVATE_WORDS = ("author", "user", "email", "voter", "supporter", "username", "resident")


def items(client, collection, **params):
    response = client.get(f"/ogc/collections/{collection}/items", params)
    assert response.status_code == 200
    return json.loads(b"".join(response.streaming_content) if response.streaming else response.content)


def tile_xy(lon, lat, z):
    n = 2 ** z
    return int((lon + 180) / 360 * n), int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)


@pytest.fixture
def proposals_on_the_map(resident, staff):
    process = make_process(open_phase="proposals", slug="map-process", support_threshold=1)
    author = resident("D1")
    centre = inside_point("D1")
    point = proposal_create(process=process, author=author, title="Bench", body="A bench.", place=centre, publish=True)
    line = proposal_create(process=process, author=author, title="Cycle lane", body="A lane.", publish=True,
                           place=LineString([(centre.x, centre.y), (centre.x + 0.002, centre.y + 0.001)], srid=4326))
    polygon = proposal_create(process=process, author=author, title="Pocket park", body="A park.", publish=True,
                              place=Point(centre.x, centre.y, srid=4326).buffer(0.0008))
    draft = proposal_create(process=process, author=author, title="Secret draft", body="Not yet.", place=centre)
    set_phase(process, "supports")
    supporter = resident("D1")
    support_give(proposal=point, user=supporter)
    comment_post(proposal=point, author=supporter, body="Yes")
    return {"process": process, "point": point, "line": line, "polygon": polygon, "draft": draft, "author": author,
            "supporter": supporter}


def test_layer_proposals_holds_published_ones_with_public_fields_only(client, proposals_on_the_map):
    body = items(client, "participation-proposals", limit=100)
    titles = {f["properties"]["title"] for f in body["features"]}
    assert titles == {"Bench", "Cycle lane", "Pocket park"}  # never the draft
    bench = next(f for f in body["features"] if f["properties"]["title"] == "Bench")
    assert bench["properties"]["support_count"] == 1 and bench["properties"]["comment_count"] == 1
    assert bench["properties"]["phase"] == "supports" and bench["properties"]["district"] == "D1"
    assert {f["geometry"]["type"] for f in body["features"]} == {"Point", "LineString", "Polygon"}
    text = json.dumps(body).lower()
    assert not [w for w in PRIVATE_WORDS if w in text]
    assert proposals_on_the_map["author"].username not in text and proposals_on_the_map["supporter"].username not in text


def test_layer_proposals_filter_by_state_and_geometry_kind(client, proposals_on_the_map):
    assert items(client, "participation-proposals", state="qualified")["numberMatched"] == 1
    assert items(client, "participation-proposals", geometry_kind="line")["numberMatched"] == 1
    assert items(client, "participation-proposals", district="D4")["numberMatched"] == 0


def test_layer_proposals_vector_tile_has_the_features_and_no_private_field(client, proposals_on_the_map):
    centre = inside_point("D1")
    x, y = tile_xy(centre.x, centre.y, 14)
    response = client.get(f"/ogc/collections/participation-proposals/tiles/WebMercatorQuad/14/{y}/{x}")
    assert response.status_code == 200
    layer = mapbox_vector_tile.decode(response.content)["participation-proposals"]
    assert {f["properties"]["title"] for f in layer["features"]} == {"Bench", "Cycle lane", "Pocket park"}
    keys = {k for f in layer["features"] for k in f["properties"]}
    assert not [k for k in keys for w in PRIVATE_WORDS if w in k]


def test_layer_selected_projects_after_results_without_ballot_data(client, proposals_on_the_map, resident, staff):
    process = proposals_on_the_map["process"]
    budget = make_budget(process, amount=100, district="D1")
    winner = Project.objects.create(budget=budget, title_el="Παγκάκι", title_en="Bench", cost=60,
                                    geom=proposals_on_the_map["point"].geom)
    loser = Project.objects.create(budget=budget, title_el="Πάρκο", title_en="Park", cost=70,
                                   geom=proposals_on_the_map["polygon"].geom)
    set_phase(process, "voting")
    for chosen in ([winner], [winner], [loser]):
        ballot_submit(budget=budget, user=resident("D1"), project_ids=[p.id for p in chosen])
    assert items(client, "participation-projects")["numberMatched"] == 0
    set_phase(process, "results")
    results_publish(budget=budget, staff=staff)
    body = items(client, "participation-projects")
    assert [(f["properties"]["title_en"], f["properties"]["votes"]) for f in body["features"]] == [("Bench", 2)]
    assert set(body["features"][0]["properties"]) == {"process", "budget", "district", "title_el", "title_en", "cost",
                                                      "votes", "proposal_id"}


@pytest.mark.parametrize("name", ["geojson", "gpkg", "csv", "shp"])
def test_layer_proposals_downloads_read_back_with_gdal(proposals_on_the_map, tmp_path, name):
    response = PatientClient().get(f"/ogc/collections/participation-proposals/download/{name}")
    assert response.status_code == 200
    data = b"".join(response.streaming_content) if response.streaming else response.content
    path = tmp_path / f"proposals.{ {'geojson': 'geojson', 'gpkg': 'gpkg', 'csv': 'csv', 'shp': 'shp.zip'}[name] }"
    path.write_bytes(data)
    layers = [name for name, _type in pyogrio.list_layers(path)]
    assert sum(pyogrio.read_info(path, layer=layer)["features"] for layer in layers) == 3
    if name == "shp":  # one Shapefile per kind of geometry
        assert sorted(layers) == ["thessaloniki-participation-proposals-lines",
                                  "thessaloniki-participation-proposals-points",
                                  "thessaloniki-participation-proposals-polygons"]
    assert b"Secret draft" not in data


def test_layer_proposals_in_the_dcat_catalogue(client):
    catalogue = client.get("/ogc/catalogue.jsonld").json()
    ids = {d["dct:identifier"] for d in catalogue["dcat:dataset"]}
    assert {"participation-proposals", "participation-projects"} <= ids
