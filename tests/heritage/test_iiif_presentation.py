"""IIIF Presentation API 3.0: manifests and collections that the IIIF Presentation 3 models (iiif-prezi3) accept,
with Greek and English labels, rights, the attribution, navPlace from PostGIS (its context first), the image
services of the pyramids; linked from the OGC API's heritage sites and the DCAT-AP catalogue."""
import pytest
from iiif_prezi3 import Collection, Manifest
from pydantic import ValidationError

from heritage.iiif.presentation import NAVPLACE_CONTEXT, PRESENTATION_CONTEXT
from heritage.services import cultural_object_withdraw, media_pyramids_ingest

pytestmark = pytest.mark.django_db
IIIF = 'application/ld+json;profile="http://iiif.io/api/presentation/3/context.json"'


def test_an_objects_manifest_is_valid_presentation_3_with_its_place_rights_and_image_service(client, heritage_demo):
    media_pyramids_ingest(identifier="demo-roman-forum-excavation-notes")
    response = client.get("/iiif/presentation/demo-roman-forum-excavation-notes/manifest")
    assert response.status_code == 200 and response["Content-Type"] == IIIF
    assert response["Access-Control-Allow-Origin"] == "*"
    document = response.json()
    Manifest(**document)
    assert document["@context"] == [NAVPLACE_CONTEXT, PRESENTATION_CONTEXT]
    assert document["label"] == {"el": ["Σημειώσεις ανασκαφής της Ρωμαϊκής Αγοράς (επίδειξη)"],
                                 "en": ["Excavation notes of the Roman Forum (demo)"]}
    assert document["rights"] == "http://creativecommons.org/publicdomain/zero/1.0/"
    assert document["requiredStatement"]["label"] == {"el": ["Απόδοση"], "en": ["Attribution"]}
    assert "Demo image" in document["requiredStatement"]["value"]["none"][0]
    geometry = document["navPlace"]["features"][0]["geometry"]
    assert geometry["type"] == "Polygon" and geometry["coordinates"][0][0] == [22.9443, 40.639]  # its own place
    body = document["items"][0]["items"][0]["items"][0]["body"]
    assert body["service"][0] == {"id": "http://testserver/iiif/3/demo-roman-forum-excavation-notes-1",
                                  "type": "ImageService3", "profile": "level0"}
    assert client.get(body["service"][0]["id"] + "/info.json").json()["width"] == document["items"][0]["width"] == 1200


def test_a_monument_objects_place_is_its_sites(client, heritage_demo):
    document = client.get("/iiif/presentation/demo-white-tower-painting/manifest").json()
    Manifest(**document)
    assert document["navPlace"]["features"][0]["geometry"]["type"] == "Point"
    assert document["partOf"][0]["id"] == "http://testserver/iiif/presentation/collections/sites/white-tower"


def test_the_models_refuse_what_is_not_presentation_3(client, heritage_demo):
    document = client.get("/iiif/presentation/rotunda/manifest").json()
    del document["requiredStatement"]["value"]  # a required statement needs its value
    with pytest.raises(ValidationError):
        Manifest(**document)


def test_site_and_organisation_collections_list_their_manifests(client, heritage_demo):
    site = client.get("/iiif/presentation/collections/sites/hagios-demetrios").json()
    Collection(**site)
    assert [item["id"].rsplit("/", 2)[-2] for item in site["items"]] == ["hagios-demetrios",
                                                                         "demo-demetrios-mosaic-photograph"]
    assert site["navPlace"]["features"][0]["geometry"]["type"] == "Point"
    organisation = client.get("/iiif/presentation/collections/organisations/municipal-art-gallery").json()
    Collection(**organisation)
    assert [item["label"]["en"] for item in organisation["items"]] == [["The White Tower (painting, demo)"]]
    for listing in ("sites", "organisations"):
        top = client.get(f"/iiif/presentation/collections/{listing}").json()
        Collection(**top)
    assert len(top["items"]) == 4


def test_unknown_and_withdrawn_objects_are_refused(client, heritage_demo):
    assert client.get("/iiif/presentation/no-such-object/manifest").status_code == 404
    assert client.get("/iiif/presentation/collections/sites/nowhere").json()["parameter"] == "slug"
    cultural_object_withdraw(identifier="rotunda")
    gone = client.get("/iiif/presentation/rotunda/manifest")
    assert gone.status_code == 410 and gone.json()["code"] == "gone"


def test_ogc_heritage_sites_and_the_catalogue_link_the_iiif_collections(client, heritage_demo):
    item = client.get("/ogc/collections/heritage-sites/items/rotunda").json()
    link = next(link for link in item["links"] if link["rel"] == "related")
    assert link["href"] == "http://testserver/iiif/presentation/collections/sites/rotunda" and link["type"] == IIIF
    Collection(**client.get(link["href"]).json())
    catalogue = client.get("/ogc/catalogue.jsonld").json()
    dataset = next(d for d in catalogue["dcat:dataset"] if d["dct:identifier"] == "heritage-sites")
    iiif = next(d for d in dataset["dcat:distribution"] if d["@id"].endswith("/iiif/presentation/collections/sites"))
    assert iiif["dct:conformsTo"] == {"@id": "http://iiif.io/api/presentation/3.0/"}
