"""The heritage portal's figures without cookies: visitors counted once a day by a salted hash that does not outlive
its day and no address stored; reuse of IIIF and OAI-PMH counted per kind by path; the CSV with each definition."""
import csv
import io
from datetime import timedelta

import pytest
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.utils import timezone

from heritage.figures import DEFINITIONS
from heritage.models import UsageCount, VisitHash, VisitSalt
from heritage.usage import UsageCountingMiddleware, visit_record

pytestmark = pytest.mark.django_db
ADDRESS = "203.0.113.77"
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0"


def _visitors_this_month(client) -> int:
    month = timezone.localdate().strftime("%Y-%m")
    rows = client.get("/api/heritage/figures/").json()["rows"]
    return next(row["value"] for row in rows if row["figure"] == "visitors" and row["period"] == month)


def test_the_same_visitor_is_counted_once_a_day_without_cookies():
    before = _visitors_this_month(Client())
    for browser in (BROWSER, BROWSER, "Another browser/1.0"):
        client = Client(REMOTE_ADDR=ADDRESS, HTTP_USER_AGENT=browser)  # a fresh client each time: no cookie comes back
        page = client.get("/heritage/figures/")
        assert page.status_code == 200 and "Η πολιτιστική κληρονομιά σε αριθμούς" in page.content.decode()  # Greek first
    assert VisitHash.objects.filter(day=timezone.localdate()).count() == 2
    assert _visitors_this_month(Client()) == before + 2


def test_a_visitor_hash_never_outlives_its_day_and_no_address_is_stored():
    yesterday = timezone.localdate() - timedelta(days=1)
    visit_record(address=ADDRESS, user_agent=BROWSER, day=yesterday)
    Client(REMOTE_ADDR=ADDRESS, HTTP_USER_AGENT=BROWSER).get("/heritage/figures/")  # today's visit counts yesterday
    assert not VisitHash.objects.filter(day__lt=timezone.localdate()).exists()
    assert not VisitSalt.objects.filter(day__lt=timezone.localdate()).exists()
    assert UsageCount.objects.get(day=yesterday, kind="visitors").count == 1
    stored = [repr(row) for model in (VisitHash, VisitSalt, UsageCount) for row in model.objects.values_list()]
    assert stored and not any(ADDRESS in row or ADDRESS.encode().hex() in row for row in stored)
    assert all(ADDRESS.encode() not in bytes(digest) for digest in VisitHash.objects.values_list("digest", flat=True))


def test_reuse_is_counted_per_kind_by_path():
    factory = RequestFactory()
    answers = {"/iiif/presentation/demo-white-tower-painting/manifest": 200, "/iiif/presentation/collections/site/rotunda": 200,
               "/iiif/3/demo-white-tower-painting/info.json": 200, "/iiif/3/demo-white-tower-painting/full/max/0/default.jpg": 200,
               "/iiif/3/missing/info.json": 404}
    for path, status in answers.items():
        UsageCountingMiddleware(lambda request, status=status: HttpResponse(status=status))(factory.get(path))
    client = Client()
    client.get("/oai", {"verb": "ListRecords", "metadataPrefix": "edm"})
    client.post("/oai", {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc"})
    client.get("/oai", {"verb": "ListRecords", "resumptionToken": "next-page"})  # the same harvest's next page
    client.get("/oai", {"verb": "Identify"})
    counts = dict(UsageCount.objects.filter(day=timezone.localdate()).values_list("kind", "count"))
    assert counts == {"iiif_presentation": 2, "iiif_info": 1, "oai_harvest": 2}


def test_the_csv_gives_each_figure_with_its_definition(client):
    response = client.get("/api/heritage/figures/", {"format": "csv"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert {row["figure"] for row in rows} == set(DEFINITIONS)
    assert all(row["definition"] == str(DEFINITIONS[row["figure"]]) for row in rows)
    assert len([row for row in rows if row["figure"] == "visitors"]) == 12  # a row per month, with its period
    assert all(row["period"] == "" for row in rows if row["figure"] in ("organisations", "sites", "digitised_objects"))
