"""The heritage read API: objects with their place, filters, withdrawn objects, organisations; in the schema."""
import pytest

from heritage.services import cultural_object_withdraw

pytestmark = pytest.mark.django_db


def test_object_detail_gives_the_record_with_a_point_on_its_place(client, heritage_demo):
    body = client.get("/api/heritage/objects/rotunda").json()
    assert body["title_en"] == "Rotunda" and body["site"] == "rotunda" and body["edm_type"] == "IMAGE"
    assert (body["lon"], body["lat"]) == pytest.approx((22.952917, 40.633333))
    assert body["same_as"] == [{"scheme": "wikidata", "identifier": "Q1584841", "source": body["same_as"][0]["source"]}]
    assert body["media"][0]["width"] == 1200 and body["rights"] == "http://creativecommons.org/publicdomain/zero/1.0/"


def test_object_detail_of_a_withdrawn_object_is_gone(client, heritage_demo):
    cultural_object_withdraw(identifier="rotunda")
    response = client.get("/api/heritage/objects/rotunda")
    assert response.status_code == 410 and "withdrawn" in response.json()["detail"]


def test_object_detail_of_an_unknown_object_is_404(client, heritage_demo):
    response = client.get("/api/heritage/objects/atlantis")
    assert response.status_code == 404 and "atlantis" in response.json()["detail"]


def test_object_list_filters_by_period_and_organisation(client, heritage_demo):
    body = client.get("/api/heritage/objects/", {"period": "modern", "organisation": "municipal-art-gallery"}).json()
    assert [o["identifier"] for o in body["results"]] == ["demo-white-tower-painting"]


def test_object_list_leaves_out_withdrawn_objects(client, heritage_demo):
    cultural_object_withdraw(identifier="rotunda")
    body = client.get("/api/heritage/objects/", {"limit": 100}).json()
    assert body["count"] == 23 and "rotunda" not in {o["identifier"] for o in body["results"]}


def test_object_list_refuses_an_unknown_period_naming_the_parameter(client, heritage_demo):
    response = client.get("/api/heritage/objects/", {"period": "baroque"})
    assert response.status_code == 400 and response.json()["detail"].startswith("period: ")
    assert "baroque" in response.json()["detail"]


def test_object_list_answers_in_a_bounded_number_of_queries(client, heritage_demo, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        assert client.get("/api/heritage/objects/", {"limit": 100}).json()["count"] == 24


def test_organisation_list_names_the_demo_providers(client, heritage_demo):
    slugs = {o["slug"] for o in client.get("/api/heritage/organisations/").json()}
    assert slugs == {"archaeological-museum", "museum-byzantine-culture", "municipal-art-gallery",
                     "ephorate-thessaloniki-city"}


def test_heritage_operations_are_in_the_openapi_schema_and_oai_is_not(client):
    paths = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()["paths"]
    assert {"/api/heritage/objects/", "/api/heritage/objects/{identifier}", "/api/heritage/organisations/"} <= set(paths)
    assert "/oai" not in paths


def test_admin_withdraws_an_object_and_offers_no_delete(client, heritage_demo, django_user_model):
    from heritage.models import CulturalObject

    client.force_login(django_user_model.objects.create_superuser("heritage-admin", password="pw-123456"))
    page = client.get("/admin/heritage/culturalobject/")
    assert page.status_code == 200 and b"Withdraw (kept as deleted for harvesters)" in page.content
    assert b"delete_selected" not in page.content
    rotunda = CulturalObject.objects.get(identifier="rotunda")
    response = client.post("/admin/heritage/culturalobject/", {"action": "withdraw", "_selected_action": [rotunda.pk]})
    assert response.status_code == 302
    assert CulturalObject.objects.get(pk=rotunda.pk).deleted is not None
