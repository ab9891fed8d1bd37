"""The heritage tests: the demo organisations, monuments and objects over the demo heritage sites, their generated
images in a folder of the test's own."""
import pytest
from lxml import etree

from heritage.demo import load_demo_heritage

OAI_NS = {"oai": "http://www.openarchives.org/OAI/2.0/"}


@pytest.fixture
def heritage_demo(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return load_demo_heritage(commit=True)


def oai(client, **params):
    """An OAI-PMH request's answer, parsed."""
    response = client.get("/oai", params)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/xml")
    return etree.fromstring(response.content)


def oai_error(client, **params) -> tuple[str, str]:
    root = oai(client, **params)
    error = root.find("oai:error", OAI_NS)
    assert error is not None, etree.tostring(root)[:500]
    return error.get("code"), error.text
