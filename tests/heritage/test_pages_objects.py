"""The object page without a browser: metadata, rights with their name, a ready citation and the downloads, in
Greek and English; an unknown or withdrawn object is a 404."""
import pytest

from heritage.services import cultural_object_withdraw

pytestmark = pytest.mark.django_db


def test_object_page_in_greek_and_english(client, heritage_demo):
    greek = client.get("/heritage/objects/demo-white-tower-painting/", HTTP_ACCEPT_LANGUAGE="el").content.decode()
    assert "<h1 id=\"object-title\">Ο Λευκός Πύργος (πίνακας, επίδειξη)</h1>" in greek
    assert "CC0 1.0 – αφιέρωση στον δημόσιο τομέα" in greek and "Δημοτική Πινακοθήκη Θεσσαλονίκης" in greek
    english = client.get("/heritage/objects/demo-white-tower-painting/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert ('Demo painter. The White Tower (painting, demo) (1925). Municipal Art Gallery of Thessaloniki. '
            'CC0 1.0 – public domain dedication. http://testserver/heritage/objects/demo-white-tower-painting/') in english
    assert 'href="/iiif/presentation/demo-white-tower-painting/manifest"' in english
    assert 'href="/media/heritage/demo/demo-white-tower-painting.jpg" download' in english
    assert 'id="image-alternative"' in english and "Demo object: The White Tower (painting, demo)." in english


def test_unknown_and_withdrawn_objects_have_no_page(client, heritage_demo):
    assert client.get("/heritage/objects/no-such-object/").status_code == 404
    cultural_object_withdraw(identifier="rotunda")
    assert client.get("/heritage/objects/rotunda/").status_code == 404
