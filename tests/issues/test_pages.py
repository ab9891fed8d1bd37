"""The citizens' pages as the server renders them (the browser tests, in test_pages_citizen.py, drive them)."""
import json
import re

import pytest
from django.contrib.gis.geos import Point

from issues.models import Category
from issues.services.lifecycle import issue_comment, issue_note
from issues.services.reporting import issue_report
from issues.services.submission import Reporter

pytestmark = pytest.mark.django_db

HOSTILE = '<script>alert(1)</script><b onmouseover="x()">bold</b>'


def page_config(html: str) -> dict:
    return json.loads(re.search(r'<script id="page-config" type="application/json">(.*?)</script>', html, re.S).group(1))


def report(**extra):
    return issue_report(category=Category.objects.get(service_code="pothole"), point=Point(22.9484, 40.6264, srid=4326),
                        actor="test", **extra).issue


def test_report_form_groups_the_categories_in_the_pages_language(client):
    greek = client.get("/report/").content.decode()
    assert '<optgroup label="Οδοστρώματα και πεζοδρόμια">' in greek and ">Λακκούβα</option>" in greek
    english = client.get("/report/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<optgroup label="Roads and pavements">' in english and ">Pothole</option>" in english
    groups = re.findall(r'<optgroup label="([^"]+)">', english)
    assert groups == sorted(groups, key=str.casefold)
    config = page_config(english)
    assert config["withMap"] is False and config["urls"]["report"] == "/open311/v2/requests.json?lang=en"
    assert {c["service_code"] for c in config["categories"]} >= {"pothole", "bulky-waste"}


def test_map_page_has_the_map_the_form_and_a_skip_link_to_the_form(client):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'id="citizen-map"' in html and 'id="report-form"' in html and 'href="#report-form"' in html
    assert page_config(html)["withMap"] is True


def test_unknown_report_page_is_404(client):
    assert client.get("/issues/999999/").status_code == 404


def test_report_page_shows_what_users_typed_as_text_and_never_the_reporters_details(client):
    issue = report(description=HOSTILE, reporter=Reporter(email="someone@example.org", first_name="Maria", phone="6900000000"))
    issue_comment(issue=issue, text=HOSTILE, author_name="<i>Eve</i>", actor="citizen")
    html = client.get(f"/issues/{issue.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<script>alert(1)</script>" not in html and "<b onmouseover" not in html and "<i>Eve</i>" not in html
    assert html.count("&lt;script&gt;alert(1)&lt;/script&gt;&lt;b onmouseover=&quot;x()&quot;&gt;bold&lt;/b&gt;") == 2
    assert "&lt;i&gt;Eve&lt;/i&gt;" in html
    for private in ("someone@example.org", "Maria", "6900000000"):
        assert private not in html


def test_report_page_shows_public_notes_and_hides_internal_ones(client):
    issue = report()
    issue_note(issue=issue, text="Crew booked for Monday", public=True, actor="staff")
    issue_note(issue=issue, text="internal: the contractor is late", public=False, actor="staff")
    html = client.get(f"/issues/{issue.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Crew booked for Monday" in html and "the contractor is late" not in html
    config = page_config(html)
    assert config["issue"] == issue.pk and config["location"] == pytest.approx([40.6264, 22.9484])
    assert config["urls"]["supports"] == f"/api/issues/{issue.pk}/supports"
